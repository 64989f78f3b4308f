import { describe, expect, it } from 'vitest';
import { CALL_2023 } from '../calls/call-2023';
import {
  buildApplication,
  errorsOf,
  FIXTURE_NAMES,
  loadFixture,
  validate,
  warningsOf,
  type App,
  type FixtureName,
} from '../../../test/support/domain-fixtures';
import { emptyApplication } from './application';
import { EMAIL_RE, hasErrors, isUnfilled, LANDLINE_RE, MOBILE_RE, UNFILLED_CODES, validateApplication } from './rules';

const NATIONAL_PARTNER = { name: '中国机械工程学会', head: '王强', phone: '010-68595000', orgType: 'national-society' };
const ENTERPRISE_PARTNER = { name: '某装备股份有限公司科学技术协会', head: '赵堃', phone: '13800005299', orgType: 'enterprise-association' };

/** Errors of an application built from the awards fixture with one change. */
const errorsAfter = (change: Parameters<typeof buildApplication>[0], fixture: FixtureName = 'awards', orgType?: Parameters<typeof validate>[1]) =>
  errorsOf(validate(buildApplication(change, fixture), orgType));
const warningsAfter = (change: Parameters<typeof buildApplication>[0], fixture: FixtureName = 'awards', orgType?: Parameters<typeof validate>[1]) =>
  warningsOf(validate(buildApplication(change, fixture), orgType));

describe('fixtures', () => {
  it.each(FIXTURE_NAMES)('%s validates with no error and no warning', (name) => {
    const { organisation, application } = loadFixture(name);
    const issues = validateApplication(application, { call: CALL_2023, orgType: organisation.type });
    expect(issues).toEqual([]);
    expect(hasErrors(issues)).toBe(false);
  });

  it('buildApplication starts from a fresh copy each time', () => {
    const a = buildApplication((x: App) => (x.team = []));
    const b = buildApplication();
    expect(a.team).toEqual([]);
    expect(b.team).toHaveLength(6);
  });
});

/** Every leaf (string or number) of an application, with its contract path. */
function leaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return typeof value === 'string' || typeof value === 'number' ? [path] : [];
}
const text = (p: (string | number)[]) => p.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${k}` : k), '');
const setAt = (obj: App, p: (string | number)[], v: unknown) => {
  const parent = p.slice(0, -1).reduce((o, k) => o[k], obj);
  if (v === undefined) delete parent[p[p.length - 1]];
  else parent[p[p.length - 1]] = v;
};
const OPTIONAL = (t: string) => /\.note$/.test(t) || t === 'contacts.projectLead.fax' || t.startsWith('subProgrammes[');

describe('required fields', () => {
  for (const name of FIXTURE_NAMES) {
    const paths = leaves(loadFixture(name).application).filter((p) => !OPTIONAL(text(p)));
    it(`${name}: each required field empty ('' / spaces / absent) gives exactly "required" at its path (${paths.length} fields)`, () => {
      expect(paths.length).toBeGreaterThan(80);
      for (const p of paths) {
        for (const blank of ['', '   ', undefined]) {
          const errors = errorsAfter((a: App) => setAt(a, p, blank), name);
          expect(errors, `${text(p)} = ${JSON.stringify(blank)}`).toEqual([`${text(p)} required`]);
        }
      }
    });
  }

  it('covers the contract fields by name', () => {
    const all = leaves(loadFixture('evaluation-with-partner').application).map(text);
    for (const p of ['cover.phone', 'contacts.projectLead.unitPhone', 'contacts.partnerUnits[0].orgType', 'team[0].age', 'budget.items[2].basis', 'budget.selfRaised', 'endorsement.signatory', 'schedule.phases[1].from'])
      expect(all).toContain(p);
  });

  it('optional ones empty give no error: notes, fax, partnerUnits', () => {
    const noNotes = (a: App) => {
      for (const m of a.team) m.note = '';
      for (const it of a.budget.items) it.note = '';
      a.contacts.projectLead.fax = '';
      a.contacts.partnerUnits = [];
    };
    expect(validate(buildApplication(noNotes))).toEqual([]);
    expect(validate(buildApplication(noNotes, 'evaluation-with-partner'))).toEqual([]);
    const absent = (a: App) => {
      for (const m of a.team) delete m.note;
      for (const it of a.budget.items) delete it.note;
      delete a.contacts.projectLead.fax;
      delete a.contacts.partnerUnits;
    };
    expect(validate(buildApplication(absent))).toEqual([]);
  });

  it('an empty application lists every required field', () => {
    expect(errorsOf(validate(emptyApplication()))).toEqual([
      'applicantProfile.headName required',
      'applicantProfile.name required',
      'applicantProfile.nature required',
      'applicantProfile.profile required',
      'applicantProfile.supervisor required',
      'basis required',
      'budget.castFunds required',
      'budget.items required',
      'contacts.projectLead.email required',
      'contacts.projectLead.mobile required',
      'contacts.projectLead.name required',
      'contacts.projectLead.title required',
      'contacts.projectLead.unitPhone required',
      'contacts.unitHead.email required',
      'contacts.unitHead.mobile required',
      'contacts.unitHead.name required',
      'contacts.unitHead.title required',
      'cover.address required',
      'cover.applicantUnit required',
      'cover.applicationDate required',
      'cover.contactName required',
      'cover.email required',
      'cover.mobile required',
      'cover.phone required',
      'eligibility.annualInspectionOk eligibility.not_declared',
      'eligibility.noAdministrativePenalty eligibility.not_declared',
      'eligibility.noFailedAcceptance eligibility.not_declared',
      'eligibility.notUnderRectification eligibility.not_declared',
      'endorsement.accurate endorsement.required',
      'endorsement.agreed endorsement.required',
      'endorsement.date required',
      'endorsement.signatory required',
      'outcomes required',
      'plan required',
      'projectName required',
      'schedule.end required',
      'schedule.phases required',
      'schedule.start required',
      'subProgrammes required',
      'team required',
    ]);
    // a completely empty object additionally lacks otherNational and selfRaised
    const bare = errorsOf(validate({}));
    expect(bare).toContain('budget.otherNational required');
    expect(bare).toContain('budget.selfRaised required');
    expect(bare).toHaveLength(42);
  });

  it('partner unit fields are required once a partner unit is listed', () => {
    expect(errorsAfter((a: App) => (a.contacts.partnerUnits = [{ name: '', head: '', phone: '', orgType: null }]))).toEqual([
      'contacts.partnerUnits[0].head required',
      'contacts.partnerUnits[0].name required',
      'contacts.partnerUnits[0].orgType required',
      'contacts.partnerUnits[0].phone required',
    ]);
  });

  it('messages are Chinese and name the field', () => {
    const issues = validate(buildApplication((a: App) => (a.budget.items[2].basis = '')));
    expect(issues).toEqual([{ path: 'budget.items[2].basis', level: 'error', code: 'required', message: '请填写第 3 项支出的测算依据' }]);
  });
});

describe('formats: mobile, landline, e-mail, date', () => {
  it.each(['1380000347', '138000034721', '12800003472', '23800003472', '138-0000-3472', '+8613800003472', '1380000347a', '１３８００００３４７２'])(
    'mobile %s is malformed (cover, unit head, project lead)',
    (bad) => {
      expect(errorsAfter({ cover: { mobile: bad } })).toEqual(['cover.mobile format.mobile']);
      expect(errorsAfter({ contacts: { unitHead: { mobile: bad } } })).toEqual(['contacts.unitHead.mobile format.mobile']);
      expect(errorsAfter({ contacts: { projectLead: { mobile: bad } } })).toEqual(['contacts.projectLead.mobile format.mobile']);
    },
  );

  it('accepts mobiles 13x–19x and trims spaces', () => {
    for (const ok of ['13800003472', '15912345678', '19912345678', ' 13800003472 ']) expect(errorsAfter({ cover: { mobile: ok } })).toEqual([]);
    expect(MOBILE_RE.test('13812345678')).toBe(true);
  });

  it.each(['65521870', '13800003472', '010-6552', '10-65521870', '010 65521870', '(010)65521870', 'abc'])(
    'landline %s is malformed (cover phone, unit phone, fax)',
    (bad) => {
      expect(errorsAfter({ cover: { phone: bad } })).toEqual(['cover.phone format.landline']);
      expect(errorsAfter({ contacts: { projectLead: { unitPhone: bad } } })).toEqual(['contacts.projectLead.unitPhone format.landline']);
      expect(errorsAfter({ contacts: { projectLead: { fax: bad } } })).toEqual(['contacts.projectLead.fax format.landline']);
    },
  );

  it('accepts landlines with area code, with or without dash, with an extension', () => {
    for (const ok of ['010-65521870', '01065521870', '0755-1234567', '0755-12345678', '010-65521870-123', '010-65521870转123'])
      expect(errorsAfter({ cover: { phone: ok } }), ok).toEqual([]);
    expect(LANDLINE_RE.test('010-12345678')).toBe(true);
  });

  it.each(['hejing@example', 'hejing example.cn', '@example.cn', 'hejing@', 'a@b.c', 'a@@b.cn', 'hejing.example.cn'])(
    'e-mail %s is malformed (cover, unit head, project lead)',
    (bad) => {
      expect(errorsAfter({ cover: { email: bad } })).toEqual(['cover.email format.email']);
      expect(errorsAfter({ contacts: { unitHead: { email: bad } } })).toEqual(['contacts.unitHead.email format.email']);
      expect(errorsAfter({ contacts: { projectLead: { email: bad } } })).toEqual(['contacts.projectLead.email format.email']);
    },
  );

  it('accepts ordinary e-mail addresses', () => {
    for (const ok of ['a@b.cn', 'he.jing+xh@mail.example.org.cn', 'HeJing@Example.CN']) expect(errorsAfter({ cover: { email: ok } }), ok).toEqual([]);
    expect(EMAIL_RE.test('a@b.cn')).toBe(true);
  });

  it.each(['2023-02-30', '2023-02-29', '2023-13-01', '2023/05/15', '2023-5-15', '20230515', '2023年5月15日', '2023-05-15T10:00:00'])(
    'date %s is malformed (cover application date, endorsement date, schedule start)',
    (bad) => {
      expect(errorsAfter({ cover: { applicationDate: bad } })).toEqual(['cover.applicationDate format.date']);
      expect(errorsAfter({ endorsement: { date: bad } })).toEqual(['endorsement.date format.date']);
      expect(errorsAfter({ schedule: { start: bad } })).toEqual(['schedule.start format.date']);
    },
  );

  it('partner unit phone may be a mobile or a landline, nothing else', () => {
    const withPhone = (phone: string) => (a: App) => (a.contacts.partnerUnits = [{ ...NATIONAL_PARTNER, phone }]);
    expect(errorsAfter(withPhone('13800005299'))).toEqual([]);
    expect(errorsAfter(withPhone('010-68595000'))).toEqual([]);
    expect(errorsAfter(withPhone('68595000'))).toEqual(['contacts.partnerUnits[0].phone format.phone']);
  });
});

describe('sub-programmes', () => {
  const subs = (subProgrammes: unknown, trackingTrack: unknown = null) => errorsAfter({ subProgrammes, trackingTrack });

  it.each([
    [['standards'], null],
    [['awards'], null],
    [['evaluation'], null],
    [['tracking'], 'standards'],
    [['tracking'], 'awards'],
    [['tracking'], 'evaluation'],
    [['standards', 'tracking'], 'standards'],
    [['awards', 'tracking'], 'awards'],
    [['evaluation', 'tracking'], 'evaluation'],
    [['tracking', 'awards'], 'awards'],
  ])('%j with track %s is a valid combination', (s, t) => {
    expect(subs(s, t)).toEqual([]);
  });

  it.each([
    [['standards', 'awards']],
    [['awards', 'evaluation']],
    [['standards', 'evaluation', 'tracking']],
    [['tracking', 'tracking']],
    [['awards', 'awards']],
  ])('%j is not a valid combination', (s) => {
    expect(subs(s, 'awards')).toEqual(['subProgrammes subprogramme.combination']);
  });

  it('unknown code', () => {
    expect(subs(['foo'])).toEqual(['subProgrammes subprogramme.unknown']);
    expect(subs(['awards', 'foo'])).toEqual(['subProgrammes subprogramme.unknown']);
    expect(validate(buildApplication({ subProgrammes: ['foo'] }))[0].message).toBe('本批次没有专项“foo”');
  });

  it('empty or absent', () => {
    expect(subs([])).toEqual(['subProgrammes required']);
    expect(errorsAfter((a: App) => delete a.subProgrammes)).toEqual(['subProgrammes required']);
  });

  it('tracking without trackingTrack', () => {
    expect(subs(['tracking'], null)).toEqual(['trackingTrack required']);
    expect(subs(['tracking'], '')).toEqual(['trackingTrack required']);
    expect(subs(['awards', 'tracking'], null)).toEqual(['trackingTrack required']);
    expect(errorsAfter((a: App) => delete a.trackingTrack, 'standards-and-tracking')).toEqual(['trackingTrack required']);
  });

  it('trackingTrack must be one of the tracks', () => {
    expect(subs(['tracking'], 'tracking')).toEqual(['trackingTrack tracking.track']);
    expect(subs(['tracking'], 'foo')).toEqual(['trackingTrack tracking.track']);
  });
});

describe('lead unit type (申报主体)', () => {
  const asStandards = (partners: unknown[]) => (a: App) => {
    a.subProgrammes = ['standards'];
    a.contacts.partnerUnits = partners;
  };

  it.each(['enterprise-association', 'park-association'] as const)('%s leading standards without a national society partner: error', (orgType) => {
    expect(errorsAfter(asStandards([]), 'awards', orgType)).toEqual(['contacts.partnerUnits lead.joint_requires_society']);
    expect(errorsAfter(asStandards([ENTERPRISE_PARTNER]), 'awards', orgType)).toEqual(['contacts.partnerUnits lead.joint_requires_society']);
    expect(validate(buildApplication(asStandards([])), orgType)[0].message).toBe(
      '企业科协、园区科协申报团体标准专项须联合组织申报：参与单位中至少应有一个全国学会、协会、研究会',
    );
  });

  it.each(['enterprise-association', 'park-association'] as const)('%s leading standards with a national society partner: no error', (orgType) => {
    expect(errorsAfter(asStandards([NATIONAL_PARTNER]), 'awards', orgType)).toEqual([]);
    expect(errorsAfter(asStandards([ENTERPRISE_PARTNER, NATIONAL_PARTNER]), 'awards', orgType)).toEqual([]);
  });

  it.each(['enterprise-association', 'park-association'] as const)('%s leading awards / evaluation / tracking: error, even with a national partner', (orgType) => {
    const lead = (subProgrammes: string[], trackingTrack: string | null = null) => (a: App) => {
      a.subProgrammes = subProgrammes;
      a.trackingTrack = trackingTrack;
      a.contacts.partnerUnits = [NATIONAL_PARTNER];
    };
    expect(errorsAfter(lead(['awards']), 'awards', orgType)).toEqual(['subProgrammes lead.type']);
    expect(errorsAfter(lead(['evaluation']), 'awards', orgType)).toEqual(['subProgrammes lead.type']);
    expect(errorsAfter(lead(['tracking'], 'standards'), 'awards', orgType)).toEqual(['subProgrammes lead.type']);
    // merged standards + tracking: standards is admitted jointly, tracking is not
    expect(errorsAfter(lead(['standards', 'tracking'], 'standards'), 'awards', orgType)).toEqual(['subProgrammes lead.type']);
    expect(validate(buildApplication(lead(['awards'])), orgType)[0].message).toBe(
      '（二）国际科技奖励建设专项的申报主体为中国科协全国学会、协会、研究会，本单位类型不可牵头申报',
    );
  });

  it('partner unit types constrain nothing for a national society', () => {
    const other = { name: '燕都财经大学', head: '李明', phone: '010-62000000', orgType: 'other' };
    for (const s of [['standards'], ['awards'], ['evaluation']])
      expect(errorsAfter((a: App) => ((a.subProgrammes = s), (a.contacts.partnerUnits = [other, ENTERPRISE_PARTNER])))).toEqual([]);
  });
});

describe('schedule (七、项目实施进度计划)', () => {
  const phase = (from: string, to: string) => ({ from, to, goal: '目标内容' });

  it('start after end', () => {
    expect(errorsAfter({ schedule: { start: '2023-06-15', end: '2023-06-10', phases: [phase('2023-06', '2023-06')] } })).toEqual([
      'schedule.end schedule.order',
    ]);
  });

  it('end after the implementation deadline 2023-11-30', () => {
    expect(errorsAfter({ schedule: { end: '2023-12-01' } })).toEqual(['schedule.end schedule.deadline']);
    expect(errorsAfter({ schedule: { end: '2023-11-30' } })).toEqual([]);
    expect(validate(buildApplication({ schedule: { end: '2023-12-01' } }))[0].message).toBe(
      '项目实施期限为 2023.11.30 前，结束日期不能晚于 2023-11-30',
    );
  });

  it('dates with surrounding spaces are still checked against each other and the deadline', () => {
    expect(errorsAfter({ schedule: { end: ' 2023-12-01 ' } })).toEqual(['schedule.end schedule.deadline']);
    expect(errorsAfter({ schedule: { start: ' 2023-06-15', end: '2023-06-10 ', phases: [phase('2023-06', '2023-06')] } })).toEqual([
      'schedule.end schedule.order',
    ]);
  });

  it('a phase outside the period, compared by month', () => {
    expect(errorsAfter((a: App) => (a.schedule.phases[0].from = '2023-05'))).toEqual(['schedule.phases[0].from phase.outside']);
    expect(errorsAfter((a: App) => (a.schedule.phases[4].to = '2023-12'))).toEqual(['schedule.phases[4].to phase.outside']);
    // a phase wholly before the start / after the end: one error each
    expect(errorsAfter((a: App) => a.schedule.phases.unshift(phase('2023-04', '2023-05')))).toEqual(['schedule.phases[0].from phase.outside']);
    expect(errorsAfter((a: App) => a.schedule.phases.push(phase('2023-12', '2023-12')))).toEqual(['schedule.phases[5].to phase.outside']);
    // same month as a mid-month start or end is inside
    expect(errorsAfter({ schedule: { start: '2023-06-15', end: '2023-11-01' } })).toEqual([]);
  });

  it('a phase ending before it starts', () => {
    expect(errorsAfter((a: App) => (a.schedule.phases[1] = phase('2023-08', '2023-07')))).toEqual(['schedule.phases[1].to phase.order']);
  });

  it('a phase starting before the month in which the previous one ends; sharing the boundary month is allowed', () => {
    const two = (second: [string, string]) => ({
      schedule: { start: '2023-06-01', end: '2023-08-31', phases: [phase('2023-06', '2023-07'), phase(...second)] },
    });
    expect(errorsAfter(two(['2023-06', '2023-08']))).toEqual(['schedule.phases[1].from phase.overlap']);
    expect(errorsAfter(two(['2023-07', '2023-08']))).toEqual([]);
    expect(warningsAfter(two(['2023-07', '2023-08']))).toEqual([]);
    expect(errorsAfter(two(['2023-08', '2023-08']))).toEqual([]);
    // phases out of order
    expect(errorsAfter((a: App) => a.schedule.phases.reverse())).toEqual([
      'schedule.phases[1].from phase.overlap',
      'schedule.phases[2].from phase.overlap',
      'schedule.phases[3].from phase.overlap',
      'schedule.phases[4].from phase.overlap',
    ]);
  });

  it('no phase; a malformed month', () => {
    expect(errorsAfter({ schedule: { phases: [] } })).toEqual(['schedule.phases required']);
    expect(errorsAfter((a: App) => (a.schedule.phases[0].from = '2023-6'))).toEqual(['schedule.phases[0].from format.month']);
    expect(errorsAfter((a: App) => (a.schedule.phases[2].to = '2023年9月'))).toEqual(['schedule.phases[2].to format.month']);
    expect(errorsAfter((a: App) => (a.schedule.phases[2].to = '2023-09-30'))).toEqual(['schedule.phases[2].to format.month']);
  });

  it('gaps in the period are a warning, not an error', () => {
    const gap = 'schedule.phases phase.gap';
    const removeMiddle = (a: App) => a.schedule.phases.splice(2, 1); // September uncovered
    expect(errorsAfter(removeMiddle)).toEqual([]);
    expect(warningsAfter(removeMiddle)).toEqual([gap]);
    expect(warningsAfter((a: App) => a.schedule.phases.pop())).toEqual([gap]); // November uncovered
    expect(warningsAfter((a: App) => a.schedule.phases.shift())).toEqual([gap]); // June uncovered
    expect(warningsAfter({ schedule: { start: '2023-05-20' } })).toEqual([gap]); // May uncovered
    expect(warningsAfter({ schedule: { phases: [phase('2023-06', '2023-11')] } })).toEqual([]);
    expect(warningsAfter({ schedule: { phases: [phase('2023-06', '2023-09'), phase('2023-09', '2023-11')] } })).toEqual([]);
    expect(warningsAfter({ schedule: { end: '2023-12-01' } })).toEqual([gap]); // December uncovered
  });
});

describe('team (八、项目负责人及主要参加人员)', () => {
  const age = (v: unknown) => errorsAfter((a: App) => (a.team[0].age = v));

  it('no team member', () => {
    expect(errorsAfter({ team: [] })).toEqual(['team required']);
  });

  it('age must be a whole number from 16 to 100', () => {
    expect(age(16)).toEqual([]);
    expect(age(100)).toEqual([]);
    expect(age(45)).toEqual([]);
    expect(age('45')).toEqual([]);
    expect(age(' 45 ')).toEqual([]);
    expect(age(15)).toEqual(['team[0].age team.age']);
    expect(age(101)).toEqual(['team[0].age team.age']);
    expect(age(45.5)).toEqual(['team[0].age team.age']);
    expect(age('45.5')).toEqual(['team[0].age team.age']);
    expect(age('abc')).toEqual(['team[0].age team.age']);
    expect(age(-30)).toEqual(['team[0].age team.age']);
    expect(age(0)).toEqual(['team[0].age team.age']);
    expect(age(null)).toEqual(['team[0].age required']);
    expect(errorsAfter((a: App) => (a.team[3].age = 15))).toEqual(['team[3].age team.age']);
    expect(validate(buildApplication((a: App) => (a.team[3].age = 101)))[0].message).toBe('第 4 位人员的年龄应为 16 至 100 之间的整数');
  });

  it('the project lead not listed in the team is a warning', () => {
    const renamed = { contacts: { projectLead: { name: '王五' } } };
    expect(errorsAfter(renamed)).toEqual([]);
    expect(warningsAfter(renamed)).toEqual(['team team.lead_missing']);
    expect(validate(buildApplication(renamed))[0].message).toBe('项目负责人“王五”未列入项目负责人及主要参加人员表');
    expect(warningsAfter((a: App) => a.team.shift())).toEqual(['team team.lead_missing']);
    // listed anywhere, surrounding spaces ignored
    expect(warningsAfter((a: App) => a.team.reverse())).toEqual([]);
    expect(warningsAfter((a: App) => (a.team[0].name = ' 罗卫东 '))).toEqual([]);
  });
});

describe('budget (九、项目经费预算)', () => {
  it('a negative amount', () => {
    expect(errorsAfter((a: App) => (a.budget.items[2].amount = '-4.8'))).toEqual(['budget.items[2].amount money.negative']);
    expect(errorsAfter({ budget: { castFunds: '-20' } })).toEqual(['budget.castFunds money.negative']);
    expect(errorsAfter({ budget: { selfRaised: -4 } })).toEqual(['budget.selfRaised money.negative']);
  });

  it('an amount with more than 4 decimals', () => {
    expect(errorsAfter((a: App) => (a.budget.items[0].amount = '5.40001'))).toEqual(['budget.items[0].amount money.precision']);
    expect(errorsAfter({ budget: { otherNational: '0.00001' } })).toEqual(['budget.otherNational money.precision']);
  });

  it('an amount that is not a number', () => {
    expect(errorsAfter((a: App) => (a.budget.items[0].amount = '1e5'))).toEqual(['budget.items[0].amount money.format']);
    expect(errorsAfter({ budget: { castFunds: '20万' } })).toEqual(['budget.castFunds money.format']);
  });

  it('castFunds of zero', () => {
    expect(errorsAfter({ budget: { castFunds: '0', selfRaised: '24' } })).toEqual(['budget.castFunds budget.cast_zero']);
    expect(errorsAfter({ budget: { castFunds: 0, selfRaised: '24' } })).toEqual(['budget.castFunds budget.cast_zero']);
    expect(errorsAfter({ budget: { castFunds: '0.0000', selfRaised: '24' } })).toEqual(['budget.castFunds budget.cast_zero']);
  });

  it('items that do not add up exactly to 经费总预算', () => {
    expect(errorsAfter((a: App) => (a.budget.items[0].amount = '5.5'))).toEqual(['budget.items budget.sum_mismatch']);
    expect(errorsAfter((a: App) => (a.budget.items[0].amount = '5.4001'))).toEqual(['budget.items budget.sum_mismatch']);
    expect(errorsAfter({ budget: { selfRaised: '4.0001' } })).toEqual(['budget.items budget.sum_mismatch']);
    expect(errorsAfter({ budget: { otherNational: '1' } })).toEqual(['budget.items budget.sum_mismatch']);
    const [issue] = validate(buildApplication((a: App) => (a.budget.items[0].amount = '5.5')));
    expect(issue.message).toBe('支出预算合计 24.1 万元与经费总预算 24 万元不相等（相差 0.1 万元）');
  });

  it('no item at all', () => {
    expect(errorsAfter({ budget: { items: [] } })).toEqual(['budget.items required']);
  });

  it('an item without its 测算依据', () => {
    expect(errorsAfter((a: App) => (a.budget.items[2].basis = ''))).toEqual(['budget.items[2].basis required']);
    expect(errorsAfter((a: App) => delete a.budget.items[7].basis)).toEqual(['budget.items[7].basis required']);
  });

  it('otherNational and selfRaised may be 0', () => {
    const zeroSelf = (self: unknown) => (a: App) => {
      a.budget.selfRaised = self;
      a.budget.items[0].amount = '1.4'; // 5.4 − 4
    };
    expect(errorsAfter(zeroSelf('0'))).toEqual([]);
    expect(errorsAfter(zeroSelf(0))).toEqual([]);
    expect(errorsAfter(zeroSelf('0.0'))).toEqual([]);
    expect(errorsAfter({ budget: { otherNational: 0 } })).toEqual([]);
    expect(errorsAfter({ budget: { otherNational: '0' } })).toEqual([]);
  });

  it('exact sums: [0.1, 0.2] = 0.3 and [7.35, 12.65] = 20', () => {
    const only = (cast: string, amounts: (string | number)[]) => ({
      budget: { castFunds: cast, otherNational: '0', selfRaised: '0', items: amounts.map((amount) => ({ content: '会议费', amount, note: '', basis: '测算依据' })) },
    });
    expect(errorsAfter(only('0.3', ['0.1', '0.2']))).toEqual([]);
    expect(errorsAfter(only('0.3', [0.1, 0.2]))).toEqual([]);
    expect(errorsAfter(only('20', ['7.35', '12.65']))).toEqual([]);
    expect(errorsAfter(only('20', ['７．３５', '12.65']))).toEqual([]);
    expect(errorsAfter(only('0.3', ['0.1', '0.2', '0.0001']))).toEqual(['budget.items budget.sum_mismatch']);
  });

  it('castFunds above the guide of the chosen sub-programmes is a warning', () => {
    const above = 'budget.castFunds budget.above_guide';
    // awards: guide 20
    expect(warningsAfter({})).toEqual([]);
    const awards20 = (a: App) => ((a.budget.castFunds = '20.0001'), (a.budget.items[0].amount = '5.4001'));
    expect(errorsAfter(awards20)).toEqual([]);
    expect(warningsAfter(awards20)).toEqual([above]);
    expect(validate(buildApplication(awards20))[0].message).toBe(
      '申请中国科协经费 20.0001 万元高于所选专项的指导额度 20 万元（国际科技奖励每项20万元左右）',
    );
    // merged standards + tracking: guide 20 + 10 = 30; the fixture asks exactly 30
    expect(loadFixture('standards-and-tracking').application.budget?.castFunds).toBe('30');
    expect(warningsAfter({}, 'standards-and-tracking')).toEqual([]);
    const merged = (a: App) => ((a.budget.castFunds = '30.0001'), (a.budget.items[0].amount = '9.0001'));
    expect(errorsAfter(merged, 'standards-and-tracking')).toEqual([]);
    expect(warningsAfter(merged, 'standards-and-tracking')).toEqual([above]);
    expect(validate(buildApplication(merged, 'standards-and-tracking'))[0].message).toBe(
      '申请中国科协经费 30.0001 万元高于所选专项的指导额度 30 万元（团体标准每项20万元左右，跟踪与服务每项10万元左右）',
    );
    // tracking alone: guide 10
    const tracking = (cast: string, item0: string) => (a: App) => {
      a.subProgrammes = ['tracking'];
      a.trackingTrack = 'awards';
      a.budget.castFunds = cast;
      a.budget.items[0].amount = item0;
    };
    // a single item so that the items add up to 10 / 10.0001
    const trackingOk = (cast: string, rest: string) => (a: App) => {
      tracking(cast, '0')(a);
      a.budget.selfRaised = '0';
      a.budget.items = [{ content: '会议费', amount: rest, note: '', basis: '测算依据' }];
    };
    expect(errorsAfter(trackingOk('10', '10'))).toEqual([]);
    expect(warningsAfter(trackingOk('10', '10'))).toEqual([]);
    expect(errorsAfter(trackingOk('10.0001', '10.0001'))).toEqual([]);
    expect(warningsAfter(trackingOk('10.0001', '10.0001'))).toEqual([above]);
  });
});

describe('long texts (四、五、六)', () => {
  it.each(['basis', 'plan', 'outcomes'] as const)('%s under 200 字 is a warning; 200 is not', (key) => {
    expect(errorsAfter({ [key]: '学'.repeat(199) })).toEqual([]);
    expect(warningsAfter({ [key]: '学'.repeat(199) })).toEqual([`${key} text.short`]);
    expect(warningsAfter({ [key]: '学'.repeat(200) })).toEqual([]);
    // 字数, not characters: 150 characters and 150 spaces are 150 字; 400 Latin letters in 200 words are 200 字
    expect(warningsAfter({ [key]: '学 '.repeat(150) })).toEqual([`${key} text.short`]);
    expect(warningsAfter({ [key]: 'ab '.repeat(200) })).toEqual([]);
    expect(warningsAfter({ [key]: '\u3000\u3000' + '学'.repeat(198) })).toEqual([`${key} text.short`]);
  });

  it('names the section and the count', () => {
    expect(validate(buildApplication({ basis: '学'.repeat(150) }))[0].message).toBe('四、立项依据及工作基础目前 150 字，少于 200 字，内容可能不够充分');
  });
});

describe('eligibility and endorsement (申报要求 3, 十、申报单位意见)', () => {
  it.each(['annualInspectionOk', 'notUnderRectification', 'noFailedAcceptance', 'noAdministrativePenalty'])(
    'eligibility.%s not declared',
    (k) => {
      expect(errorsAfter({ eligibility: { [k]: false } })).toEqual([`eligibility.${k} eligibility.not_declared`]);
      expect(errorsAfter((a: App) => delete a.eligibility[k])).toEqual([`eligibility.${k} eligibility.not_declared`]);
    },
  );

  it('the endorsement not given', () => {
    expect(errorsAfter({ endorsement: { agreed: false } })).toEqual(['endorsement.agreed endorsement.required']);
    expect(errorsAfter({ endorsement: { accurate: false } })).toEqual(['endorsement.accurate endorsement.required']);
    expect(errorsAfter((a: App) => delete a.endorsement)).toEqual([
      'endorsement.accurate endorsement.required',
      'endorsement.agreed endorsement.required',
      'endorsement.date required',
      'endorsement.signatory required',
    ]);
  });
});

describe('hasErrors', () => {
  it('is true only when some issue is an error', () => {
    expect(hasErrors([])).toBe(false);
    expect(hasErrors([{ path: 'team', level: 'warning', code: 'team.lead_missing', message: '' }])).toBe(false);
    expect(hasErrors(validate(buildApplication({ team: [] })))).toBe(true);
  });
});

describe('unprintable characters', () => {
  it('flags control, separator, direction-override, private-use and replacement characters at their field, once per field', async () => {
    const { unprintableIssues, isUnprintable } = await import('./rules');
    for (const cp of [0x00, 0x01, 0x1f, 0x7f, 0x85, 0x2028, 0x2029, 0x202e, 0x2066, 0xfffd, 0xe000, 0xf0000, 0xfdd0, 0xfffe, 0x1ffff])
      expect(isUnprintable(cp), cp.toString(16)).toBe(true);
    for (const cp of [0x09, 0x0a, 0x0d, 0x20, 0x41, 0x4e2d, 0x3000, 0x20bb7, 0x2003e, 0x4db6, 0x1f642])
      expect(isUnprintable(cp), cp.toString(16)).toBe(false);
    expect(unprintableIssues({ a: '正常文字\n第二段', b: ['x', 'y\u2028z\u202e'], c: { d: '\ufffd' } }).map((i) => [i.path, i.code, i.level])).toEqual([
      ['b[1]', 'text.unprintable', 'error'],
      ['c.d', 'text.unprintable', 'error'],
    ]);
    expect(unprintableIssues({ b: ['y\u2028'] })[0].message).toContain('第 2 个字符 U+2028');
  });
});

describe('isUnfilled: "still empty" errors apart from "entered wrongly"', () => {
  it('every error of a brand-new draft is unfilled, and it still blocks submission', () => {
    const issues = validateApplication(emptyApplication([CALL_2023.subProgrammes[0].code]), { call: CALL_2023, orgType: 'national-society' });
    const errors = issues.filter((i) => i.level === 'error');
    expect(errors.length).toBeGreaterThan(30);
    expect(errors.filter((i) => !isUnfilled(i))).toEqual([]);
    expect(hasErrors(issues)).toBe(true);
    // the declarations not yet ticked count as unfilled too
    expect(errors.filter((i) => i.path.startsWith('eligibility.') || i.path.startsWith('endorsement.')).map((i) => i.code)).toEqual([
      'eligibility.not_declared',
      'eligibility.not_declared',
      'eligibility.not_declared',
      'eligibility.not_declared',
      'endorsement.required',
      'endorsement.required',
      'required',
      'required',
    ]);
  });

  it.each([
    ['a bad mobile number', (a: App) => void (a.contacts.projectLead.mobile = '1380000230'), 'contacts.projectLead.mobile', 'format.mobile'],
    ['a bad e-mail', (a: App) => void (a.cover.email = 'name@'), 'cover.email', 'format.email'],
    ['an amount that is not a number', (a: App) => void (a.budget.items[0].amount = '十万'), 'budget.items[0].amount', 'money.format'],
    ['totals that do not add up', (a: App) => void (a.budget.castFunds = '99'), 'budget.items', 'budget.sum_mismatch'],
    ['an age out of range', (a: App) => void (a.team[0].age = 15), 'team[0].age', 'team.age'],
    ['an unprintable character', (a: App) => void (a.projectName = 'A\u2028B'), 'projectName', 'text.unprintable'],
  ])('%s is not unfilled', (_what, change, path, code) => {
    const errs = validate(buildApplication(change)).filter((i) => i.level === 'error' && i.path === path);
    expect(errs.map((i) => i.code)).toContain(code);
    expect(errs.filter((i) => i.code === code).every((i) => !isUnfilled(i))).toBe(true);
  });

  it.each([
    ['a cleared required text', (a: App) => void (a.cover.address = '  '), 'cover.address'],
    ['a cleared amount', (a: App) => void (a.budget.items[1].amount = ''), 'budget.items[1].amount'],
    ['an empty team', (a: App) => void (a.team = []), 'team'],
    ['an unticked declaration', (a: App) => void (a.eligibility.noAdministrativePenalty = false), 'eligibility.noAdministrativePenalty'],
  ])('%s is unfilled', (_what, change, path) => {
    const errs = validate(buildApplication(change)).filter((i) => i.level === 'error' && i.path === path);
    expect(errs).toHaveLength(1);
    expect(isUnfilled(errs[0])).toBe(true);
    expect(UNFILLED_CODES.has(errs[0].code)).toBe(true);
  });

  it('a warning is never unfilled', () => {
    const w = validate(buildApplication((a: App) => void (a.basis = '太短'))).filter((i) => i.level === 'warning');
    expect(w.map((i) => i.code)).toEqual(['text.short']);
    expect(isUnfilled(w[0])).toBe(false);
  });
});
