import type { TCallDefinition } from './calls/call';
import { findSubProgramme } from './calls/call';

/**
 * 申报编号: `<year>-<prefix>-<4-digit sequence>`, e.g. 2023-BZ-0007. The prefix is that of
 * the first non-tracking sub-programme chosen (a merged standards+tracking application is
 * BZ), or the tracking one alone. The sequence is per call and prefix, given at first
 * submission and kept for good (withdrawing and submitting again keeps the number).
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
