import { describe, expect, it } from 'vitest';
import { applyChoices, differingPart, planMerge } from './merge';

describe('merging two tabs’ edits', () => {
  const base = { basis: '第一段。', plan: '原方案', cover: { address: '旧地址', phone: '010-1' } };
  const mine = { basis: '第一段。我在末尾加了一句。', plan: '原方案', cover: { address: '我的地址', phone: '010-1' } };
  const theirs = { basis: '第一段。另一个窗口加了一句。', plan: '新方案', cover: { address: '旧地址', phone: '010-2' } };

  it('takes what only the other side changed and asks only about fields both changed', () => {
    const plan = planMerge(base, mine, theirs);
    expect(plan.conflicts.map((c) => c.path)).toEqual(['basis']);
    expect(plan.merged.plan).toBe('新方案');
    expect(plan.merged.cover).toEqual({ address: '我的地址', phone: '010-2' });
  });

  it('keeps both texts when asked, mine first', () => {
    const plan = planMerge(base, mine, theirs);
    expect(applyChoices(plan, { basis: 'both' }).basis).toBe('第一段。我在末尾加了一句。\n第一段。另一个窗口加了一句。');
    expect(applyChoices(plan, { basis: 'theirs' }).basis).toBe('第一段。另一个窗口加了一句。');
    expect(applyChoices(plan, { basis: 'mine' }).basis).toBe('第一段。我在末尾加了一句。');
  });

  it('shows where two long texts differ, with a little context', () => {
    const common = '很长的共同开头'.repeat(20);
    const d = differingPart(common + '我的结尾。', common + '他们的结尾。', 4);
    expect(d.a).toBe('…共同开头我的结尾。');
    expect(d.b).toBe('…共同开头他们的结尾。');
  });
});
