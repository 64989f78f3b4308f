/**
 * Money. Amounts are integer 元 (CNY yuan) inside the system; the 申报书 speaks 万元
 * (10,000 元) with at most 4 decimals, so 1 元 is the smallest amount a form can carry.
 * Parsing is done on the decimal text, never with binary floats
 * (application-data.md: "Money is exact").
 */

/** Yuan in one 万元. */
export const YUAN_PER_WAN = 10_000;

/** Why a 万元 amount could not be parsed. */
export type MoneyProblem = 'empty' | 'format' | 'negative' | 'precision' | 'too-large';

/** Result of {@link parseWan}: integer yuan, or the problem. */
export type ParsedWan = { ok: true; yuan: number } | { ok: false; problem: MoneyProblem };

/** The largest amount accepted, in 万元 (a plain sanity bound: 10 亿元). */
export const MAX_WAN = 100_000;

/**
 * Parse a 万元 amount typed by a person ("12.3456", 20, " 7.35 ") into integer 元.
 * Accepts a string or a finite number; full-width digits and the full-width point are
 * normalised. At most 4 decimals (so the result is whole 元). Returns a problem for
 * empty input, a malformed number, a negative amount, more than 4 decimals, or an
 * amount above {@link MAX_WAN} 万元.
 */
export function parseWan(value: unknown): ParsedWan {
  if (value === null || value === undefined) return { ok: false, problem: 'empty' };
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { ok: false, problem: 'format' };
    text = String(value);
  } else if (typeof value === 'string') {
    text = value;
  } else {
    return { ok: false, problem: 'format' };
  }
  text = text
    .trim()
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xff10 + 0x30))
    .replace(/．/g, '.');
  if (text === '') return { ok: false, problem: 'empty' };
  if (/^-\s*\.?\d/.test(text)) return { ok: false, problem: 'negative' };
  const m = /^\+?(\d+)(?:\.(\d*))?$/.exec(text) ?? /^\+?()\.(\d+)$/.exec(text);
  if (!m) return { ok: false, problem: 'format' };
  const whole = m[1] === '' ? '0' : m[1];
  const frac = m[2] ?? '';
  // "at most 4 decimals" (application-data.md) counts the decimals as written: "1.23450" has 5.
  if (frac.length > 4) return { ok: false, problem: 'precision' };
  if (whole.replace(/^0+/, '').length > 6) return { ok: false, problem: 'too-large' };
  const yuan = Number(whole) * YUAN_PER_WAN + Number(frac.padEnd(4, '0'));
  if (yuan > MAX_WAN * YUAN_PER_WAN) return { ok: false, problem: 'too-large' };
  return { ok: true, yuan };
}

/** Chinese message for a {@link MoneyProblem}, naming the field label. */
export function moneyProblemMessage(label: string, problem: MoneyProblem): string {
  switch (problem) {
    case 'empty':
      return `请填写${label}（单位：万元，没有则填 0）`;
    case 'format':
      return `${label}应为数字，单位为万元，例如 20 或 12.3456`;
    case 'negative':
      return `${label}不能为负数`;
    case 'precision':
      return `${label}最多保留 4 位小数（万元的 4 位小数即 1 元）`;
    case 'too-large':
      return `${label}超过 ${MAX_WAN} 万元，请检查单位是否为万元（例如 50 万元应填 50，而不是 500000）`;
  }
}

/**
 * Format integer 元 as 万元 text with up to 4 decimals and no trailing zeros:
 * 123456 → "12.3456", 200000 → "20", 3000 → "0.3".
 */
export function formatWan(yuan: number): string {
  const sign = yuan < 0 ? '-' : '';
  const abs = Math.abs(Math.round(yuan));
  const whole = Math.floor(abs / YUAN_PER_WAN);
  const frac = String(abs % YUAN_PER_WAN).padStart(4, '0').replace(/0+$/, '');
  return sign + String(whole) + (frac ? '.' + frac : '');
}

/** Format integer 元 with thousands separators: 123456 → "123,456 元". */
export function formatYuan(yuan: number): string {
  return `${Math.round(yuan).toLocaleString('en-US')} 元`;
}
