import { describe, expect, it } from 'vitest';
import { nameTextProblem } from '../../../domain/form/rules';
import { cleanFileName } from '../attachments/attachments.service';
import { safeFileNamePart } from './documents.service';

/**
 * Names typed at registration, file names uploaded and names of downloads keep out one and
 * the same set of characters (domain isNotForOneLineName): before, each had its own list,
 * and a download name kept U+2028, U+200E or C1 controls that an upload name lost.
 */
const KEPT_OUT: Record<string, string> = {
  NUL: '\u0000',
  tab: '\t',
  'line feed': '\n',
  'C1 NEL': '\u0085',
  'soft hyphen': '\u00ad',
  'Arabic letter mark': '\u061c',
  'zero width space': '\u200b',
  'left-to-right mark': '\u200e',
  'right-to-left override': '\u202e',
  'line separator': '\u2028',
  'left-to-right isolate': '\u2066',
  'byte order mark': '\ufeff',
  'replacement character': '\ufffd',
  'private use': '\ue000',
};

const KEPT_IN = ['中国科学技术协会', '（团体标准）《指南》—…·，', 'Ａ１２３', '𠀀𪚥', '😀'];

describe('one-line names: registration, uploads and downloads agree', () => {
  for (const [label, ch] of Object.entries(KEPT_OUT)) {
    it(`keeps out ${label} (U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`, () => {
      expect(nameTextProblem(`学会${ch}名称`)).not.toBeNull();
      expect(cleanFileName(`报告${ch}.pdf`)).toBe('报告.pdf');
      expect(safeFileNamePart(`学会${ch}名称`)).toBe('学会_名称');
    });
  }

  it('keeps Chinese (Extension B too), full-width punctuation and emoji', () => {
    for (const text of KEPT_IN) {
      expect(nameTextProblem(text), text).toBeNull();
      expect(cleanFileName(`${text}.pdf`), text).toBe(`${text}.pdf`);
      expect(safeFileNamePart(text), text).toBe(text);
    }
  });

  it('file names: slashes never make a path; download names: no folder or cut characters', () => {
    expect(cleanFileName('../a/b\\c.pdf')).toBe('..／a／b＼c.pdf');
    expect(cleanFileName('\u202e\u200b')).toBe('附件');
    expect(safeFileNamePart('a/b\\c:d*e?f"g<h>i|j')).toBe('a_b_c_d_e_f_g_h_i_j');
    expect(safeFileNamePart('  名称  ')).toBe('名称');
    expect(Array.from(safeFileNamePart('字'.repeat(50), 40))).toHaveLength(40);
  });
});
