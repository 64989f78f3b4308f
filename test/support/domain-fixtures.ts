/**
 * Test support for the domain's unit tests (kept out of src/domain, which stays free of node:fs).
 * Reads the shared fixtures (`../shared/fixtures/applications/*.json` relative to the repo root)
 * and builds valid applications that a test then breaks in exactly one place.
 */
import type { TOrgType } from '../../src/domain/calls/call';
import { CALL_2023 } from '../../src/domain/calls/call-2023';
import { emptyApplication, type TApplicationData } from '../../src/domain/form/application';
import { validateApplication, type FormIssue } from '../../src/domain/form/rules';
import { fixture, type Fixture } from './fixtures';

export { REPO_ROOT } from './fixtures';

export type FixtureName = 'awards' | 'evaluation-with-partner' | 'standards-and-tracking';
export const FIXTURE_NAMES: FixtureName[] = ['awards', 'evaluation-with-partner', 'standards-and-tracking'];

/** A fresh deep copy of a fixture file (test/support/fixtures.ts). */
export function loadFixture(name: FixtureName): Fixture {
  return fixture(name);
}

/** A deep partial: objects merge key by key, arrays and scalars replace. */
export type Overrides = { [k: string]: unknown };

function merge(target: Record<string, unknown>, patch: Overrides): void {
  for (const [k, v] of Object.entries(patch)) {
    const cur = target[k];
    if (v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' && !Array.isArray(cur))
      merge(cur as Record<string, unknown>, v as Overrides);
    else target[k] = v;
  }
}

/** The application of a fixture, as the full (non-partial) shape, for tests that poke inside. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type App = any;

/**
 * A valid application (from the fixture, default `awards`) with `overrides` applied: either a
 * deep-partial object (objects merge, arrays replace) or a function that mutates the copy.
 */
export function buildApplication(overrides: Overrides | ((a: App) => void) = {}, fixture: FixtureName = 'awards'): TApplicationData {
  const app = loadFixture(fixture).application as App;
  if (typeof overrides === 'function') overrides(app);
  else merge(app, overrides);
  return app as TApplicationData;
}

/** Validate against the 2023 call for a lead organisation type (default national society). */
export function validate(app: TApplicationData, orgType: TOrgType = 'national-society'): FormIssue[] {
  return validateApplication(app, { call: CALL_2023, orgType });
}

/** Errors only, as "path code" strings, sorted: compact exact assertions. */
export function errorsOf(issues: FormIssue[]): string[] {
  return issues.filter((i) => i.level === 'error').map((i) => `${i.path} ${i.code}`).sort();
}

/** Warnings only, as "path code" strings, sorted. */
export function warningsOf(issues: FormIssue[]): string[] {
  return issues.filter((i) => i.level === 'warning').map((i) => `${i.path} ${i.code}`).sort();
}

/**
 * A draft as the dashboard's creation dialog (NewApplicationDialog) makes it for the fixture's
 * organisation: a new draft of the fixture's 申报专项 with the registration's 申报单位 and
 * administrator (name, mobile, e-mail) prefilled, nothing else.
 */
export function newDraft(name: FixtureName = 'standards-and-tracking'): TApplicationData {
  const { organisation: org, application: a } = loadFixture(name);
  const d = emptyApplication(a.subProgrammes ?? [], a.trackingTrack ?? null) as App;
  d.cover.applicantUnit = org.name;
  d.applicantProfile.name = org.name;
  d.cover.contactName = org.adminName;
  d.cover.mobile = org.adminMobile;
  d.cover.email = org.adminEmail;
  return d;
}

/**
 * A draft left half-done, as a secretary leaves it for the next day: {@link newDraft} with, from
 * the fixture, 封面's 联系电话, 一、项目名称, 四、立项依据, a first team member with name and age
 * only, and 中国科协经费. 封面, 一, 四, 八 and 九 are worked on (一 and 四 complete); 二, 三,
 * 五, 六, 七 and 十 are untouched.
 */
export function halfFilledDraft(name: FixtureName = 'standards-and-tracking'): TApplicationData {
  const a = loadFixture(name).application as App;
  const d = newDraft(name) as App;
  d.cover.phone = a.cover.phone;
  d.projectName = a.projectName;
  d.basis = a.basis;
  d.team = [{ name: a.team[0].name, age: a.team[0].age, title: '', unit: '', role: '', note: '' }];
  d.budget.castFunds = a.budget.castFunds;
  return d;
}
