/**
 * 统一社会信用代码 (unified social credit code), GB 32100-2015.
 * 18 characters from a 31-symbol alphabet (digits and capitals without I, O, S, V, Z):
 * 1 registration authority, 1 organisation type, 6 administrative division,
 * 9 organisation code (GB 11714, with its own check character), 1 check character.
 */

/** The GB 32100-2015 alphabet; a character's value is its index. */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Weights of positions 1..17 (3^(i-1) mod 31), GB 32100-2015 §4.4. */
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Weights of the 8 body characters of an organisation code, GB 11714-1997. */
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** Why a code is not a valid USCC. */
export type UsccProblem = 'empty' | 'length' | 'alphabet' | 'check' | 'org-check';

/** Result of {@link checkUscc}. `code` is the normalised code. */
export type UsccCheck = { valid: true; code: string } | { valid: false; code: string; problem: UsccProblem; message: string };

/** Normalise as typed: trim, remove inner spaces, upper-case, full-width to half-width. */
export function normaliseUscc(input: string): string {
  return input
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, '')
    .toUpperCase();
}

/** The check character (position 18) for the first 17 characters; '0' when the remainder gives 31. */
export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(first17[i]) * USCC_WEIGHTS[i];
  const c = (31 - (sum % 31)) % 31;
  return USCC_ALPHABET[c];
}

/** GB 11714 check character for the 8-character organisation code body: '0'–'9' or 'X'. */
export function orgCodeCheckCharacter(body8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const ch = body8[i];
    const v = /\d/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 55;
    sum += v * ORG_WEIGHTS[i];
  }
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/**
 * Check a code by GB 32100-2015 (alphabet, length, weighted check character mod 31) and
 * its embedded organisation code (positions 9–17) by GB 11714. The input is normalised
 * first ({@link normaliseUscc}). Messages are Chinese and say what is wrong.
 */
export function checkUscc(input: string): UsccCheck {
  const code = normaliseUscc(input ?? '');
  const fail = (problem: UsccProblem, message: string): UsccCheck => ({ valid: false, code, problem, message });
  if (code === '') return fail('empty', '请填写统一社会信用代码');
  if (code.length !== 18) return fail('length', `统一社会信用代码应为 18 位，当前为 ${code.length} 位`);
  for (const ch of code) {
    if (!USCC_ALPHABET.includes(ch)) {
      const hint = /[IOSVZ]/.test(ch) ? '（代码中不使用字母 I、O、S、V、Z）' : '';
      return fail('alphabet', `统一社会信用代码含有不允许的字符“${ch}”${hint}`);
    }
  }
  const expected = usccCheckCharacter(code.slice(0, 17));
  if (code[17] !== expected) {
    return fail('check', '统一社会信用代码校验位不正确，请核对营业执照或登记证书上的代码');
  }
  const org = code.slice(8, 17);
  if (org[8] !== orgCodeCheckCharacter(org.slice(0, 8))) {
    return fail('org-check', '统一社会信用代码第 9–17 位（组织机构代码）校验不正确，请核对登记证书');
  }
  return { valid: true, code };
}
