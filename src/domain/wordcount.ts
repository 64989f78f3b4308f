/**
 * 字数 as Chinese word processors count it (application-data.md, "Counting"):
 * each CJK character (ideographs, kana, hangul, CJK and full-width punctuation) is one,
 * each run of Latin letters or digits is one (inner "." "-" "'" "_" keep a run together,
 * so "1.1", "e-mail" and "GB" are one each), white space and line breaks count nothing,
 * other symbols standing alone count nothing.
 */
const CJK =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef\u2018\u2019\u201c\u201d\u2014\u2026\u00b7\u2e80-\u2fdf\u31c0-\u31ef\ufe30-\ufe4f]/u;

const WORD = /[\p{L}\p{N}]/u;

/** Count 字数 of a text; see the module comment for the rule. Non-string input counts 0. */
export function countWords(text: unknown): number {
  if (typeof text !== 'string' || text === '') return 0;
  let count = 0;
  let inRun = false;
  const chars = Array.from(text);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (/\s/u.test(c)) {
      // white space, including the ideographic space U+3000 inside the CJK punctuation block
      inRun = false;
    } else if (CJK.test(c)) {
      count++;
      inRun = false;
    } else if (WORD.test(c)) {
      if (!inRun) count++;
      inRun = true;
    } else if (inRun && /[.\-'_]/.test(c) && i + 1 < chars.length && WORD.test(chars[i + 1]) && !CJK.test(chars[i + 1])) {
      // joiner inside a Latin/digit run: the run goes on
    } else {
      inRun = false;
    }
  }
  return count;
}
