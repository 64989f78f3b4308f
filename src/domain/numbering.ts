import type { TCallDefinition } from './calls/call';
import { findSubProgramme } from './calls/call';

/**
 * 申报编号: `<year>-<prefix>-<4-digit sequence>`, e.g. 2023-BZ-0007. The prefix is that of
 * the first non-tracking sub-programme chosen (a merged standards+tracking application is
 * BZ), or the tracking one alone. The sequence is per call and prefix, given at first
 * submission and kept when the application is withdrawn and submitted again — unless its
 * 专项 changed meanwhile: then the number would name the wrong 专项, and a new one is given
 * ({@link numberFits}); the old one is not reused.
 */
export function numberPrefix(call: TCallDefinition, subProgrammes: string[]): string {
  const sps = subProgrammes.map((c) => findSubProgramme(call, c)).filter((s) => !!s);
  const main = sps.find((s) => s.tracks.length === 0) ?? sps[0];
  return main ? main.numberPrefix : 'XX';
}

/** Format a number from its parts. */
export function formatApplicationNumber(year: number, prefix: string, seq: number): string {
  return `${year}-${prefix}-${String(seq).padStart(4, '0')}`;
}

/** Whether an existing 申报编号 still names this year and prefix (else a new number is due). */
export function numberFits(number: string, year: number, prefix: string): boolean {
  return number.startsWith(`${year}-${prefix}-`);
}
