import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeBudget } from './form/budget';
import { formatWan, formatYuan, MAX_WAN, moneyProblemMessage, parseWan } from './money';

const yuan = (v: unknown) => {
  const r = parseWan(v);
  if (!r.ok) throw new Error(`expected ${String(v)} to parse, got ${r.problem}`);
  return r.yuan;
};
const problem = (v: unknown) => {
  const r = parseWan(v);
  return r.ok ? `ok:${r.yuan}` : r.problem;
};

describe('parseWan', () => {
  it('parses 万元 text into whole 元', () => {
    expect(yuan('12.3456')).toBe(123456);
    expect(yuan('20')).toBe(200000);
    expect(yuan('0')).toBe(0);
    expect(yuan('0.0001')).toBe(1);
    expect(yuan('4.5')).toBe(45000);
    expect(yuan('.5')).toBe(5000);
    expect(yuan('5.')).toBe(50000);
    expect(yuan('+3')).toBe(30000);
    expect(yuan('007.35')).toBe(73500);
    expect(yuan(' 7.35 ')).toBe(73500);
  });

  it('accepts numbers as input', () => {
    expect(yuan(20)).toBe(200000);
    expect(yuan(12.3456)).toBe(123456);
    expect(yuan(0.1)).toBe(1000);
    expect(yuan(0)).toBe(0);
    expect(problem(-5)).toBe('negative');
    expect(problem(Number.NaN)).toBe('format');
    expect(problem(Number.POSITIVE_INFINITY)).toBe('format');
    // a float sum is not a 4-decimal amount: the binary error shows, and is refused
    expect(problem(0.1 + 0.2)).toBe('precision');
  });

  it('normalises full-width digits and the full-width point', () => {
    expect(yuan('１２．３４５６')).toBe(123456);
    expect(yuan('２０')).toBe(200000);
    expect(yuan('７.３５')).toBe(73500);
  });

  it('rejects exponents, separators, words and other types as format', () => {
    expect(problem('1e5')).toBe('format');
    expect(problem('1E5')).toBe('format');
    expect(problem('1,000')).toBe('format');
    expect(problem('20万')).toBe('format');
    expect(problem('abc')).toBe('format');
    expect(problem('1.2.3')).toBe('format');
    expect(problem('.')).toBe('format');
    expect(problem(true)).toBe('format');
    expect(problem({})).toBe('format');
    expect(problem([])).toBe('format');
  });

  it('reports empty input', () => {
    expect(problem('')).toBe('empty');
    expect(problem('   ')).toBe('empty');
    expect(problem(null)).toBe('empty');
    expect(problem(undefined)).toBe('empty');
  });

  it('reports negative amounts', () => {
    expect(problem('-1')).toBe('negative');
    expect(problem('-0.5')).toBe('negative');
    expect(problem('- 3')).toBe('negative');
    expect(problem('-.5')).toBe('negative');
  });

  it('allows at most 4 decimals', () => {
    expect(yuan('1.2345')).toBe(12345);
    expect(problem('1.23456')).toBe('precision');
    expect(problem('0.00001')).toBe('precision');
    expect(problem(0.00001)).toBe('precision');
    // literally "more than 4 decimals": written zeros count too (application-data.md)
    expect(problem('1.23450')).toBe('precision');
    expect(problem('20.00000')).toBe('precision');
    expect(yuan('20.0000')).toBe(200000);
  });

  it('bounds the amount at MAX_WAN 万元', () => {
    expect(yuan(String(MAX_WAN))).toBe(MAX_WAN * 10_000);
    expect(problem(String(MAX_WAN) + '.0001')).toBe('too-large');
    expect(problem('1000000')).toBe('too-large');
    expect(problem('99999999999999999999')).toBe('too-large');
  });
});

describe('formatWan / formatYuan', () => {
  it('formats whole 元 as 万元 without trailing zeros', () => {
    expect(formatWan(123456)).toBe('12.3456');
    expect(formatWan(200000)).toBe('20');
    expect(formatWan(3000)).toBe('0.3');
    expect(formatWan(1)).toBe('0.0001');
    expect(formatWan(0)).toBe('0');
    expect(formatWan(-3000)).toBe('-0.3');
    expect(formatYuan(123456)).toBe('123,456 元');
  });

  it('round trips: parseWan(formatWan(y)) === y for every amount up to MAX_WAN', () => {
    for (const y of [0, 1, 9, 10, 99, 100, 1000, 9999, 10000, 10001, 123456, 999999999, MAX_WAN * 10_000]) {
      expect(yuan(formatWan(y))).toBe(y);
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_WAN * 10_000 }), (y) => yuan(formatWan(y)) === y),
      { numRuns: 2000 },
    );
  });

  it('round trips from text: formatWan(parseWan(t)) is t without trailing zeros', () => {
    expect(formatWan(yuan('12.3400'))).toBe('12.34');
    expect(formatWan(yuan('0.0100'))).toBe('0.01');
    expect(formatWan(yuan('7.35'))).toBe('7.35');
  });
});

describe('money is exact (no binary floats)', () => {
  const budget = (cast: string, items: string[]) =>
    computeBudget({ castFunds: cast, otherNational: '0', selfRaised: '0', items: items.map((amount) => ({ amount })) });

  it('[0.1, 0.2] adds up to 0.3 万元 = 3000 元', () => {
    const b = budget('0.3', ['0.1', '0.2']);
    expect(b.itemYuan).toEqual([1000, 2000]);
    expect(b.itemsYuan).toBe(3000);
    expect(b.totalYuan).toBe(3000);
    expect(formatWan(b.itemsYuan!)).toBe('0.3');
  });

  it('[7.35, 12.65] adds up to exactly 20 万元', () => {
    const b = budget('20', ['7.35', '12.65']);
    expect(b.itemsYuan).toBe(200000);
    expect(b.totalYuan).toBe(200000);
  });

  it('derives 其他经费 and 经费总预算', () => {
    const b = computeBudget({ castFunds: '18.6', otherNational: '2', selfRaised: 3, items: [] });
    expect(b).toEqual({
      castYuan: 186000,
      otherNationalYuan: 20000,
      selfRaisedYuan: 30000,
      otherYuan: 50000,
      totalYuan: 236000,
      itemsYuan: 0,
      itemYuan: [],
    });
  });

  it('a part that does not parse makes the sums that need it null', () => {
    const b = computeBudget({ castFunds: '20', otherNational: 'x', selfRaised: '0', items: [{ amount: '1' }, { amount: '-1' }] });
    expect(b.castYuan).toBe(200000);
    expect(b.otherYuan).toBeNull();
    expect(b.totalYuan).toBeNull();
    expect(b.itemYuan).toEqual([10000, null]);
    expect(b.itemsYuan).toBeNull();
    expect(computeBudget(undefined).totalYuan).toBeNull();
  });
});

describe('moneyProblemMessage', () => {
  it('names the field and the problem in Chinese', () => {
    expect(moneyProblemMessage('金额', 'negative')).toBe('金额不能为负数');
    expect(moneyProblemMessage('金额', 'precision')).toBe('金额最多保留 4 位小数（万元的 4 位小数即 1 元）');
    expect(moneyProblemMessage('金额', 'empty')).toBe('请填写金额（单位：万元，没有则填 0）');
    expect(moneyProblemMessage('金额', 'format')).toContain('金额应为数字');
    expect(moneyProblemMessage('金额', 'too-large')).toContain(`超过 ${MAX_WAN} 万元`);
  });
});
