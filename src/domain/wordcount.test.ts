import { describe, expect, it } from 'vitest';
import { countWords } from './wordcount';

describe('countWords (字数)', () => {
  it('counts each CJK character as one', () => {
    expect(countWords('学会')).toBe(2);
    expect(countWords('中国科学技术协会')).toBe(8);
    expect(countWords('あいう')).toBe(3);
    expect(countWords('한국어')).toBe(3);
  });

  it('counts CJK and full-width punctuation as one each', () => {
    expect(countWords('你好，世界。')).toBe(6);
    expect(countWords('“科创中国”')).toBe(6);
    expect(countWords('（一）')).toBe(3);
  });

  it('counts a run of Latin letters or digits as one', () => {
    expect(countWords('hello')).toBe(1);
    expect(countWords('hello world')).toBe(2);
    expect(countWords('2023')).toBe(1);
    expect(countWords('GB32100')).toBe(1);
    expect(countWords('José Luis Peña Ramírez')).toBe(4);
  });

  it('keeps inner . - \' _ inside a run', () => {
    expect(countWords('1.1')).toBe(1);
    expect(countWords('e-mail')).toBe(1);
    expect(countWords("don't")).toBe(1);
    expect(countWords('snake_case')).toBe(1);
    expect(countWords('GB/T 1.1-2020')).toBe(3); // "/" separates: GB, T, 1.1-2020
    expect(countWords('end.')).toBe(1);
  });

  it('counts mixed text: "2023年" is 2', () => {
    expect(countWords('2023年')).toBe(2);
    expect(countWords('2023年5月19日')).toBe(6);
    expect(countWords('研制4项标准')).toBe(6);
    expect(countWords('ISO标准')).toBe(3);
    expect(countWords('“科创中国”平台AI应用')).toBe(11);
  });

  it('white space and line breaks count nothing', () => {
    expect(countWords('')).toBe(0);
    expect(countWords('   ')).toBe(0);
    expect(countWords('\n\n\t\r\n')).toBe(0);
    expect(countWords('学 会\n学会')).toBe(4);
    expect(countWords('a \n b')).toBe(2);
  });

  it('the ideographic (full-width) space counts nothing either', () => {
    expect(countWords('\u3000')).toBe(0);
    expect(countWords('\u3000\u3000我们')).toBe(2);
    expect(countWords('第一\u3000第二')).toBe(4);
    expect(countWords('\u00a0a\u2003b')).toBe(2);
  });

  it('counts an Extension B character (𠮷, a surrogate pair) as one', () => {
    expect('𠮷'.length).toBe(2);
    expect(countWords('𠮷')).toBe(1);
    expect(countWords('𠮷野家')).toBe(3);
    expect(countWords('王䶮')).toBe(2); // Extension A
  });

  it('lone symbols count nothing', () => {
    expect(countWords('- / + = *')).toBe(0);
    expect(countWords('a + b')).toBe(2);
  });

  it('non-string input counts 0', () => {
    expect(countWords(undefined)).toBe(0);
    expect(countWords(null)).toBe(0);
    expect(countWords(123)).toBe(0);
  });
});
