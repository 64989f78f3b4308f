import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIXTURE_NAMES, loadFixture } from '../../test/support/domain-fixtures';
import { checkUscc, normaliseUscc, orgCodeCheckCharacter, USCC_ALPHABET, usccCheckCharacter } from './uscc';

/*
 * An independent reference of GB 32100-2015 §4.4 and GB 11714-1997, written from the
 * standards (weights derived, not copied), to check the module against.
 */
const ALPHA = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function refUsccCheck(first17: string): string {
  let sum = 0;
  let w = 1;
  for (let i = 0; i < 17; i++) {
    sum += ALPHA.indexOf(first17[i]) * w;
    w = (w * 3) % 31; // W_i = 3^(i-1) mod 31
  }
  return ALPHA[(31 - (sum % 31)) % 31];
}
function refOrgCheck(body8: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  const value = (ch: string) => '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'.indexOf(ch);
  const sum = [...body8].reduce((a, ch, i) => a + value(ch) * weights[i], 0);
  const c = 11 - (sum % 11);
  return c === 11 ? '0' : c === 10 ? 'X' : String(c);
}
/** Build a valid code from an 8-char prefix and an 8-char organisation code body. */
function makeCode(prefix8: string, orgBody8: string): string {
  const first17 = prefix8 + orgBody8 + refOrgCheck(orgBody8);
  return first17 + refUsccCheck(first17);
}

const VALID = '91350100M000100Y43';

describe('checkUscc: valid codes', () => {
  it('accepts the GB 32100 example 91350100M000100Y43', () => {
    expect(checkUscc(VALID)).toEqual({ valid: true, code: VALID });
  });

  it.each(FIXTURE_NAMES)('accepts the organisation code of fixture %s', (name) => {
    const { uscc } = loadFixture(name).organisation;
    expect(checkUscc(uscc)).toEqual({ valid: true, code: uscc });
    expect(uscc.startsWith('51')).toBe(true); // national societies are registered social organisations
  });

  it('accepts a code whose check character is 0 (remainder 31 → 0)', () => {
    const code = '511000005000000660';
    // independently: org body 50000006 → 5×3 + 6×2 = 27, 11 − 27 mod 11 = 6 ✓
    expect(refOrgCheck('50000006')).toBe('6');
    expect(refUsccCheck(code.slice(0, 17))).toBe('0');
    expect(usccCheckCharacter(code.slice(0, 17))).toBe('0');
    expect(checkUscc(code)).toEqual({ valid: true, code });
  });

  it('accepts an embedded organisation code whose check character is X', () => {
    // find one deterministically: bodies 1000000n until the GB 11714 check is X
    let body = '';
    for (let n = 10000000; n < 10000100 && !body; n++) if (refOrgCheck(String(n)) === 'X') body = String(n);
    expect(body).not.toBe('');
    expect(orgCodeCheckCharacter(body)).toBe('X');
    const code = makeCode('91110000', body);
    expect(code[16]).toBe('X');
    expect(checkUscc(code).valid).toBe(true);
  });

  it('agrees with the reference implementation on generated codes', () => {
    const orgChars = '0123456789ABCDEFGHJKLMNPQRTUWXY'; // letters in org codes limited to the USCC alphabet
    const char = (set: string) => fc.integer({ min: 0, max: set.length - 1 }).map((i) => set[i]);
    fc.assert(
      fc.property(fc.array(char(ALPHA), { minLength: 8, maxLength: 8 }), fc.array(char(orgChars), { minLength: 8, maxLength: 8 }), (p, b) => {
        const code = makeCode(p.join(''), b.join(''));
        if (!checkUscc(code).valid) return false;
        // any other check character is refused
        const wrong = ALPHA[(ALPHA.indexOf(code[17]) + 1) % 31];
        const r = checkUscc(code.slice(0, 17) + wrong);
        return !r.valid && r.problem === 'check';
      }),
      { numRuns: 500 },
    );
  });
});

describe('checkUscc: invalid codes', () => {
  const problemOf = (s: string) => {
    const r = checkUscc(s);
    return r.valid ? 'valid' : r.problem;
  };

  it('refuses a wrong check character', () => {
    expect(problemOf('91350100M000100Y44')).toBe('check');
    expect(problemOf('91350100M000100Y4X')).toBe('check');
    expect(problemOf('5110000050001234XD')).toBe('check');
    const r = checkUscc('91350100M000100Y44');
    expect(r).toEqual({
      valid: false,
      code: '91350100M000100Y44',
      problem: 'check',
      message: '统一社会信用代码校验位不正确，请核对营业执照或登记证书上的代码',
    });
  });

  it.each(['I', 'O', 'S', 'V', 'Z'])('refuses the forbidden letter %s', (letter) => {
    const code = VALID.slice(0, 8) + letter + VALID.slice(9);
    const r = checkUscc(code);
    expect(r.valid).toBe(false);
    expect(r.valid ? '' : r.problem).toBe('alphabet');
    expect(r.valid ? '' : r.message).toBe(`统一社会信用代码含有不允许的字符“${letter}”（代码中不使用字母 I、O、S、V、Z）`);
  });

  it('refuses other symbols without the I/O/S/V/Z hint', () => {
    const r = checkUscc('91350100M000100Y4#');
    expect(r.valid ? '' : r.message).toBe('统一社会信用代码含有不允许的字符“#”');
  });

  it('refuses 111111111111111111', () => {
    expect(problemOf('111111111111111111')).toBe('check');
  });

  it('refuses a wrong length and empty input', () => {
    expect(problemOf(VALID.slice(0, 17))).toBe('length');
    expect(problemOf(VALID + '0')).toBe('length');
    expect(problemOf('')).toBe('empty');
    expect(problemOf('   ')).toBe('empty');
    const r = checkUscc('12345');
    expect(r.valid ? '' : r.message).toBe('统一社会信用代码应为 18 位，当前为 5 位');
  });

  it('refuses a code whose embedded GB 11714 organisation code check fails (even with a right USCC check)', () => {
    // change the organisation code check character 4 → 5 and recompute the USCC check character
    const first17 = VALID.slice(0, 16) + '5';
    expect(refOrgCheck(VALID.slice(8, 16))).toBe('4');
    const code = first17 + refUsccCheck(first17);
    expect(problemOf(code)).toBe('org-check');
    const r = checkUscc(code);
    expect(r.valid ? '' : r.message).toBe('统一社会信用代码第 9–17 位（组织机构代码）校验不正确，请核对登记证书');
  });
});

describe('normaliseUscc', () => {
  it('upper-cases, removes spaces and converts full-width characters', () => {
    expect(normaliseUscc('91350100m000100y43')).toBe(VALID);
    expect(normaliseUscc(' 9135 0100 M000 100Y 43 ')).toBe(VALID);
    expect(normaliseUscc('９１３５０１００Ｍ０００１００Ｙ４３')).toBe(VALID);
    expect(normaliseUscc('９１３５\u3000０１００ｍ０００１００ｙ４３')).toBe(VALID);
  });

  it('checkUscc normalises first and returns the normalised code', () => {
    expect(checkUscc('91350100m000100y43')).toEqual({ valid: true, code: VALID });
    expect(checkUscc('９１３５０１００Ｍ０００１００Ｙ４３')).toEqual({ valid: true, code: VALID });
    expect(checkUscc('\t9135 0100\nM000100Y43 ')).toEqual({ valid: true, code: VALID });
  });

  it('the alphabet is 31 symbols without I, O, S, V, Z', () => {
    expect(USCC_ALPHABET).toBe(ALPHA);
    expect(USCC_ALPHABET).toHaveLength(31);
    expect(USCC_ALPHABET).not.toMatch(/[IOSVZ]/);
  });
});
