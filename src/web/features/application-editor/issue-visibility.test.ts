import { describe, expect, it } from 'vitest';
import { countUnfilledWhenOpened, isUnfilled, sectionsWithSavedContent } from '../../../domain';
import { halfFilledDraft, validate } from '../../../../test/support/domain-fixtures';
import { heldBackAsUnfilled } from './issue-visibility';

describe('heldBackAsUnfilled: the editor’s 未填写 in a session', () => {
  const data = halfFilledDraft();
  const issues = validate(data);
  const workedSections = sectionsWithSavedContent(data);
  const opened = { showAll: false, touched: new Set<string>(), workedSections };

  it('when the draft is opened, holds back exactly what the list API counts as unfilledCount', () => {
    const held = issues.filter((i) => heldBackAsUnfilled(i, opened));
    expect(held.length).toBe(countUnfilledWhenOpened(data, issues));
    expect(held.length).toBeGreaterThan(0);
    expect(held.length).toBeLessThan(issues.filter(isUnfilled).length);
  });

  it('a field visited and left empty in the session is red; after 自查 or 提交 everything is', () => {
    const path = 'contacts.unitHead.name';
    expect(heldBackAsUnfilled(issues.find((i) => i.path === path)!, opened)).toBe(true);
    const touched = { ...opened, touched: new Set([path]) };
    expect(issues.filter((i) => heldBackAsUnfilled(i, touched)).length).toBe(countUnfilledWhenOpened(data, issues) - 1);
    expect(issues.filter((i) => heldBackAsUnfilled(i, { ...opened, showAll: true }))).toEqual([]);
  });
});
