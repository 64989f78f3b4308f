import { describe, expect, it } from 'vitest';
import { buildApplication, FIXTURE_NAMES, loadFixture, type App } from '../../../test/support/domain-fixtures';
import { emptyApplication, pathText, ZApplicationData } from './application';
import { LIMITS } from './limits';

/** Parse and return the issues as "path: code" strings (path via pathText). */
const issues = (data: unknown) => {
  const r = ZApplicationData.safeParse(data);
  return r.success ? [] : r.error.issues.map((i) => `${pathText(i.path)}: ${i.code}`);
};
const issuesOf = (change: (a: App) => void) => issues(buildApplication(change));

describe('pathText', () => {
  it('turns a Zod path into the contract path text', () => {
    expect(pathText(['budget', 'items', 2, 'basis'])).toBe('budget.items[2].basis');
    expect(pathText(['schedule', 'phases', 1, 'from'])).toBe('schedule.phases[1].from');
    expect(pathText(['team', 0, 'age'])).toBe('team[0].age');
    expect(pathText(['contacts', 'partnerUnits'])).toBe('contacts.partnerUnits');
    expect(pathText(['subProgrammes', 0])).toBe('subProgrammes[0]');
    expect(pathText(['trackingTrack'])).toBe('trackingTrack');
    expect(pathText([])).toBe('');
  });
});

describe('ZApplicationData', () => {
  it.each(FIXTURE_NAMES)('accepts fixture %s and returns it unchanged', (name) => {
    const { application } = loadFixture(name);
    const r = ZApplicationData.safeParse(application);
    expect(r.success).toBe(true);
    expect(r.data).toEqual(loadFixture(name).application);
  });

  it('accepts an empty object (a draft may be partial) and the empty application', () => {
    expect(issues({})).toEqual([]);
    expect(issues(emptyApplication(['standards', 'tracking'], 'standards'))).toEqual([]);
    expect(emptyApplication(['standards', 'tracking'], 'standards')).toMatchObject({ subProgrammes: ['standards', 'tracking'], trackingTrack: 'standards' });
  });

  it('strict objects reject unknown keys, with the path of the object and the key', () => {
    const r = ZApplicationData.safeParse(buildApplication((a: App) => (a.budget.items[2].extra = 1)));
    expect(r.success).toBe(false);
    expect(r.error!.issues).toHaveLength(1);
    expect(r.error!.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['extra'], path: ['budget', 'items', 2] });
    expect(pathText(r.error!.issues[0].path)).toBe('budget.items[2]');
    expect(issuesOf((a) => (a.unknownTop = 'x'))).toEqual([': unrecognized_keys']);
    expect(issuesOf((a) => (a.cover.fax = 'x'))).toEqual(['cover: unrecognized_keys']);
    expect(issuesOf((a) => (a.contacts.unitHead.fax = 'x'))).toEqual(['contacts.unitHead: unrecognized_keys']);
    expect(issuesOf((a) => (a.schedule.phases[1].note = 'x'))).toEqual(['schedule.phases[1]: unrecognized_keys']);
    expect(issuesOf((a) => (a.team[0].gender = 'x'))).toEqual(['team[0]: unrecognized_keys']);
    expect(issuesOf((a) => (a.eligibility.other = true))).toEqual(['eligibility: unrecognized_keys']);
  });

  it('rejects over-length strings at their path', () => {
    expect(issuesOf((a) => (a.projectName = '项'.repeat(LIMITS.projectName + 1)))).toEqual(['projectName: too_big']);
    expect(issuesOf((a) => (a.projectName = '项'.repeat(LIMITS.projectName)))).toEqual([]);
    expect(issuesOf((a) => (a.cover.address = '址'.repeat(LIMITS.medium + 1)))).toEqual(['cover.address: too_big']);
    expect(issuesOf((a) => (a.contacts.projectLead.fax = '0'.repeat(LIMITS.short + 1)))).toEqual(['contacts.projectLead.fax: too_big']);
    expect(issuesOf((a) => (a.budget.items[2].basis = '据'.repeat(LIMITS.cell + 1)))).toEqual(['budget.items[2].basis: too_big']);
    expect(issuesOf((a) => (a.basis = '文'.repeat(LIMITS.longText + 1)))).toEqual(['basis: too_big']);
    expect(issuesOf((a) => (a.basis = '文'.repeat(LIMITS.longText)))).toEqual([]);
    expect(issuesOf((a) => (a.budget.castFunds = '1'.repeat(33)))).toEqual(['budget.castFunds: too_big']);
    const r = ZApplicationData.safeParse({ projectName: '项'.repeat(101) });
    expect(r.error!.issues[0].message).toBe('不能超过 100 个字符');
  });

  it('counts lengths in characters (code points), as LIMITS says', () => {
    expect(issues({ projectName: '𠮷'.repeat(LIMITS.projectName) })).toEqual([]);
    expect(issues({ projectName: '𠮷'.repeat(LIMITS.projectName + 1) })).toEqual(['projectName: too_big']);
  });

  it('rejects too many rows', () => {
    const member = { name: '张三', age: 40, title: '研究员', unit: '学会', role: '工作', note: '' };
    expect(issues({ team: Array(LIMITS.team).fill(member) })).toEqual([]);
    expect(issues({ team: Array(LIMITS.team + 1).fill(member) })).toEqual(['team: too_big']);
    expect(issues({ schedule: { phases: Array(LIMITS.phases + 1).fill({ from: '2023-06' }) } })).toEqual(['schedule.phases: too_big']);
    expect(issues({ budget: { items: Array(LIMITS.budgetItems + 1).fill({ amount: '1' }) } })).toEqual(['budget.items: too_big']);
    expect(issues({ contacts: { partnerUnits: Array(LIMITS.partnerUnits + 1).fill({ name: 'x' }) } })).toEqual(['contacts.partnerUnits: too_big']);
    expect(issues({ subProgrammes: ['a', 'b', 'c', 'd', 'e'] })).toEqual(['subProgrammes: too_big']);
  });

  it('rejects wrong types at their path', () => {
    expect(issuesOf((a) => (a.team[0].age = true))).toEqual(['team[0].age: invalid_union']);
    expect(issuesOf((a) => (a.eligibility.annualInspectionOk = 'yes'))).toEqual(['eligibility.annualInspectionOk: invalid_type']);
    expect(issuesOf((a) => (a.endorsement.agreed = 1))).toEqual(['endorsement.agreed: invalid_type']);
    expect(issuesOf((a) => (a.budget.castFunds = { wan: 20 }))).toEqual(['budget.castFunds: invalid_union']);
    expect(issuesOf((a) => (a.budget.items[1].amount = [1]))).toEqual(['budget.items[1].amount: invalid_union']);
    expect(issuesOf((a) => (a.projectName = 42))).toEqual(['projectName: invalid_type']);
    expect(issuesOf((a) => (a.schedule.phases = { from: '2023-06' }))).toEqual(['schedule.phases: invalid_type']);
    expect(issuesOf((a) => (a.cover = 'x'))).toEqual(['cover: invalid_type']);
    expect(issuesOf((a) => (a.subProgrammes = [1]))).toEqual(['subProgrammes[0]: invalid_type']);
    expect(issuesOf((a) => (a.contacts.partnerUnits = [{ name: '燕都大学', orgType: 'university' }]))).toEqual(['contacts.partnerUnits[0].orgType: invalid_value']);
  });

  it('accepts the value kinds the contract allows', () => {
    expect(issuesOf((a) => ((a.budget.castFunds = 20), (a.team[0].age = '55')))).toEqual([]);
    expect(issuesOf((a) => ((a.trackingTrack = null), (a.budget.items[0].amount = null)))).toEqual([]);
    expect(issuesOf((a) => (a.contacts.partnerUnits = [{ name: 'x', head: 'y', phone: 'z', orgType: null }]))).toEqual([]);
    for (const orgType of ['national-society', 'enterprise-association', 'park-association', 'other'])
      expect(issuesOf((a) => (a.contacts.partnerUnits = [{ orgType }]))).toEqual([]);
  });
});
