import { describe, expect, it } from 'vitest';
import { buildApplication, validate } from '../../../test/support/domain-fixtures';
import { issuesBySection, sectionOf, SECTIONS } from './sections';

describe('sections', () => {
  it('follow the template order', () => {
    expect(SECTIONS.map((s) => s.key)).toEqual(['programme', 'cover', 's1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10']);
  });

  it.each([
    ['budget.items[2].basis', 's9'],
    ['budget.items', 's9'],
    ['schedule.phases[1].from', 's7'],
    ['team[0].age', 's8'],
    ['team', 's8'],
    ['contacts.partnerUnits', 's2'],
    ['subProgrammes', 'programme'],
    ['trackingTrack', 'programme'],
    ['eligibility.annualInspectionOk', 's10'],
    ['endorsement.agreed', 's10'],
    ['projectName', 's1'],
    ['cover.phone', 'cover'],
    ['basis', 's4'],
  ])('%s belongs to %s', (path, key) => {
    expect(sectionOf(path)?.key).toBe(key);
  });

  it('does not match on a mere prefix of a key', () => {
    expect(sectionOf('basisExtra')).toBeUndefined();
    expect(sectionOf('teamLead')).toBeUndefined();
    expect(sectionOf('')).toBeUndefined();
  });

  it('counts errors and warnings per section', () => {
    const app = buildApplication((a) => {
      a.team[0].age = 15; // s8 error
      a.budget.items[2].basis = ''; // s9 error
      a.contacts.projectLead.name = '王五'; // s8 warning (lead not in team)
      a.endorsement.agreed = false; // s10 error
    });
    const counts = issuesBySection(validate(app));
    expect(counts.s8).toEqual({ errors: 1, unfilled: 0, warnings: 1 });
    expect(counts.s9).toEqual({ errors: 1, unfilled: 0, warnings: 0 });
    expect(counts.s10).toEqual({ errors: 1, unfilled: 0, warnings: 0 });
    expect(Object.entries(counts).filter(([k]) => !['s8', 's9', 's10'].includes(k)).every(([, v]) => v.errors === 0 && v.warnings === 0)).toBe(true);
  });

  it('counts the empty required values it is told to hold back as 未填写, and everything else as before', () => {
    const app = buildApplication((a) => {
      a.team[0].age = 15; // s8: entered wrongly, always an error
      a.team[1].unit = ''; // s8: empty required
      a.budget.items[2].basis = ''; // s9: empty required, but not held back
      a.cover.address = ''; // cover: empty required
    });
    const issues = validate(app);
    const heldBack = (i: { path: string }) => i.path !== 'budget.items[2].basis';
    const counts = issuesBySection(issues, heldBack);
    expect(counts.s8).toEqual({ errors: 1, unfilled: 1, warnings: 0 });
    expect(counts.s9).toEqual({ errors: 1, unfilled: 0, warnings: 0 });
    expect(counts.cover).toEqual({ errors: 0, unfilled: 1, warnings: 0 });
    // the same issues without a predicate: all errors
    expect(issuesBySection(issues).s8).toEqual({ errors: 2, unfilled: 0, warnings: 0 });
    expect(issuesBySection(issues).cover).toEqual({ errors: 1, unfilled: 0, warnings: 0 });
  });
});
