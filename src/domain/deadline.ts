/**
 * Dates and deadlines in 北京时间 (Asia/Shanghai, UTC+8 all year, no daylight saving).
 * A deadline is an instant. A date-only deadline ("2023-05-19") means the end of that day
 * in Beijing: submissions are accepted while now < 2023-05-20T00:00:00+08:00, i.e. up to
 * 23:59:59.999 北京时间 (DESIGN.md, Lifecycle). The server's and browser's time zones never matter.
 */

const BEIJING_OFFSET_MS = 8 * 3600 * 1000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= days && y >= 1900 && y <= 2200;
}

/** True for a year-month written YYYY-MM. */
export function isIsoMonth(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = MONTH_RE.exec(s);
  return !!m && Number(m[2]) >= 1 && Number(m[2]) <= 12 && Number(m[1]) >= 1900 && Number(m[1]) <= 2200;
}

/** Months since year 0 of a "YYYY-MM" or "YYYY-MM-DD" text, for month comparisons. */
export function monthIndex(s: string): number {
  return Number(s.slice(0, 4)) * 12 + Number(s.slice(5, 7)) - 1;
}

/** The instant at which a Beijing calendar day begins (00:00:00 北京时间). */
export function startOfBeijingDay(date: string): Date {
  if (!isIsoDate(date)) throw new Error(`not a date: ${date}`);
  return new Date(Date.parse(date + 'T00:00:00Z') - BEIJING_OFFSET_MS);
}

/**
 * The first instant after a date-only deadline: 00:00:00 北京时间 of the next day.
 * A deadline has passed when now >= this instant.
 */
export function endOfBeijingDayExclusive(date: string): Date {
  return new Date(startOfBeijingDay(date).getTime() + 24 * 3600 * 1000);
}

/** A deadline given as a date-only text or a full ISO instant, as the exclusive end instant. */
export function deadlineInstant(deadline: string): Date {
  return isIsoDate(deadline) ? endOfBeijingDayExclusive(deadline) : new Date(deadline);
}

/** Beijing calendar parts of an instant. */
export function beijingParts(instant: Date): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const b = new Date(instant.getTime() + BEIJING_OFFSET_MS);
  return {
    year: b.getUTCFullYear(),
    month: b.getUTCMonth() + 1,
    day: b.getUTCDate(),
    hour: b.getUTCHours(),
    minute: b.getUTCMinutes(),
    second: b.getUTCSeconds(),
  };
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** "2023-05-19" — the Beijing calendar date of an instant. */
export function beijingDate(instant: Date): string {
  const p = beijingParts(instant);
  return `${p.year}-${p2(p.month)}-${p2(p.day)}`;
}

/** "2023年5月19日 23:59:59（北京时间）" */
export function formatBeijing(instant: Date, opts: { seconds?: boolean; suffix?: boolean } = {}): string {
  const p = beijingParts(instant);
  const time = opts.seconds === false ? `${p2(p.hour)}:${p2(p.minute)}` : `${p2(p.hour)}:${p2(p.minute)}:${p2(p.second)}`;
  return `${p.year}年${p.month}月${p.day}日 ${time}${opts.suffix === false ? '' : '（北京时间）'}`;
}

/**
 * How a date-only deadline reads to people: "2023年5月19日 23:59:59（北京时间）",
 * the last second that still counts.
 */
export function formatDeadline(deadline: string): string {
  return formatBeijing(new Date(deadlineInstant(deadline).getTime() - 1000));
}

/** "2023年5月19日" for a YYYY-MM-DD text. */
export function formatChineseDate(date: string): string {
  if (!isIsoDate(date)) return date;
  return `${Number(date.slice(0, 4))}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

/** An application window, both ends date-only texts or ISO instants. */
export interface Window {
  opens: string;
  closes: string;
}

/** Where an instant falls relative to a window. The start is inclusive, the end exclusive. */
export function windowState(now: Date, window: Window): 'before' | 'open' | 'closed' {
  const opens = isIsoDate(window.opens) ? startOfBeijingDay(window.opens) : new Date(window.opens);
  if (now.getTime() < opens.getTime()) return 'before';
  return now.getTime() < deadlineInstant(window.closes).getTime() ? 'open' : 'closed';
}
