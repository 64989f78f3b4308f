import { describe, expect, it } from 'vitest';
import { buildApplication, FIXTURE_NAMES, halfFilledDraft, newDraft, validate, type App } from '../../../test/support/domain-fixtures';
import { isUnfilled } from './rules';
import { issuesBySection, sectionOf, SECTIONS } from './sections';
import { countUnfilledWhenOpened, PREFILLED_PATHS, sectionsWithSavedContent, unfilledWhenOpened } from './unfilled';

/** "path code" of the errors an opened draft shows as 未填写, sorted. */
const unfilledOf = (data: App) => {
  const worked = sectionsWithSavedContent(data);
  return validate(data)
    .filter((i) => unfilledWhenOpened(i, worked))
    .map((i) => `${i.path} ${i.code}`)
    .sort();
};

describe('sectionsWithSavedContent: the sections a saved draft shows as worked on', () => {
  it.each(FIXTURE_NAMES)('a complete application (%s): every section but 申报专项', (name) => {
    expect([...sectionsWithSavedContent(buildApplication({}, name))].sort()).toEqual(SECTIONS.filter((s) => s.key !== 'programme').map((s) => s.key).sort());
  });

  it.each(FIXTURE_NAMES)('a new draft with the registration’s prefill (%s): none', (name) => {
    expect([...sectionsWithSavedContent(newDraft(name))]).toEqual([]);
  });

  it('a half-filled draft: the sections holding a value the person entered', () => {
    expect([...sectionsWithSavedContent(halfFilledDraft())].sort()).toEqual(['cover', 's1', 's4', 's8', 's9']);
  });

  it('the prefilled values, the defaults of a new draft, blanks, unticked boxes and empty rows do not count', () => {
    const d = newDraft() as App;
    d.cover.applicantUnit = '中国另一个名称学会'; // a prefilled path, even when changed
    d.cover.address = '   ';
    d.budget.otherNational = '0';
    d.budget.selfRaised = '0';
    d.eligibility.annualInspectionOk = false;
    d.team = [{ name: '', age: '', title: '', unit: '', role: '', note: '' }];
    d.schedule.phases = [{ from: '', to: '', goal: '' }];
    expect([...sectionsWithSavedContent(d)]).toEqual([]);
    expect(PREFILLED_PATHS).toContain('cover.applicantUnit');
  });

  it('an amount other than a default, a number, a ticked box count', () => {
    const d = newDraft() as App;
    d.budget.selfRaised = '5';
    d.team = [{ name: '', age: 0 }];
    d.eligibility.noAdministrativePenalty = true;
    expect([...sectionsWithSavedContent(d)].sort()).toEqual(['s10', 's8', 's9']);
  });
});

describe('unfilledWhenOpened / countUnfilledWhenOpened: what an opened draft shows as 未填写', () => {
  it.each(FIXTURE_NAMES)('a new draft (%s): every error is 未填写, none is red', (name) => {
    const d = newDraft(name);
    const errors = validate(d).filter((i) => i.level === 'error');
    expect(errors.length).toBeGreaterThan(25);
    expect(countUnfilledWhenOpened(d, validate(d))).toBe(errors.length);
  });

  it('a half-filled draft: the empty fields of the sections worked on are errors, the untouched sections’ 未填写', () => {
    const d = halfFilledDraft();
    const issues = validate(d);
    const errors = issues.filter((i) => i.level === 'error');
    const shown = unfilledOf(d);
    // exactly the empty required values outside 封面, 一, 四, 八 and 九
    expect(shown).toEqual(
      errors
        .filter((i) => isUnfilled(i) && !['cover', 's1', 's4', 's8', 's9'].includes(sectionOf(i.path)!.key))
        .map((i) => `${i.path} ${i.code}`)
        .sort(),
    );
    expect(shown).toContain('contacts.unitHead.name required');
    expect(shown).toContain('endorsement.agreed endorsement.required');
    // red: the worked sections' empty fields (the dashboard used to count them as 未填写)
    const red = errors.filter((i) => !shown.includes(`${i.path} ${i.code}`)).map((i) => `${i.path} ${i.code}`);
    expect(red).toEqual(expect.arrayContaining(['cover.address required', 'cover.applicationDate required', 'team[0].unit required', 'budget.items required']));
    expect(red.every((e) => ['cover', 's8', 's9'].includes(sectionOf(e.split(' ')[0])!.key))).toBe(true);
    expect(countUnfilledWhenOpened(d, issues)).toBe(shown.length);
    expect(countUnfilledWhenOpened(d, issues)).toBeLessThan(errors.filter(isUnfilled).length);
  });

  it('a value entered wrongly is red even in a section not worked on, and a warning is never 未填写', () => {
    const d = newDraft() as App;
    d.cover.mobile = '12345'; // a prefilled path: 封面 is still not worked on
    const issues = validate(d);
    const mobile = issues.filter((i) => i.path === 'cover.mobile');
    expect(mobile.map((i) => i.code)).toEqual(['format.mobile']);
    expect(unfilledWhenOpened(mobile[0], sectionsWithSavedContent(d))).toBe(false);
    expect(countUnfilledWhenOpened(d, issues)).toBe(issues.filter((i) => i.level === 'error').length - 1);
    const warned = buildApplication((a) => (a.contacts.projectLead.name = '王五'));
    const w = validate(warned).filter((i) => i.level === 'warning');
    expect(w.length).toBeGreaterThan(0);
    expect(w.some((i) => unfilledWhenOpened(i, new Set()))).toBe(false);
  });

  it.each(FIXTURE_NAMES)('a complete application (%s): nothing', (name) => {
    const a = buildApplication({}, name);
    expect(countUnfilledWhenOpened(a, validate(a))).toBe(0);
  });

  it('every issue belongs to a section, so the section list’s counts add up to the header’s', () => {
    for (const d of [newDraft(), halfFilledDraft(), ...FIXTURE_NAMES.map((n) => newDraft(n))]) {
      const issues = validate(d);
      expect(issues.filter((i) => !sectionOf(i.path))).toEqual([]);
      const worked = sectionsWithSavedContent(d);
      const counts = Object.values(issuesBySection(issues, (i) => unfilledWhenOpened(i, worked)));
      expect(counts.reduce((n, c) => n + c.unfilled, 0)).toBe(countUnfilledWhenOpened(d, issues));
      expect(counts.reduce((n, c) => n + c.errors + c.unfilled, 0)).toBe(issues.filter((i) => i.level === 'error').length);
    }
  });
});
