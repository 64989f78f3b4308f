import type { Locator, Page } from 'playwright-core';
import { fid } from './server';

/**
 * Driving the 申报书 editor like a person: open a section from the list on the left, type into
 * the fields (ids/test ids f-<path>), add table rows with <table>-add, tick the declarations.
 */

export type Shot = (page: Page, step: string, fullPage?: boolean) => Promise<unknown>;

export async function openSection(page: Page, key: string) {
  await page.getByTestId(`section-${key}`).click();
  await page.getByTestId(`section-panel-${key}`).waitFor();
}

export async function fillField(page: Page, path: string, value: unknown) {
  const el = page.getByTestId(fid(path));
  const text = value === null || value === undefined ? '' : String(value);
  // (whether the text arrived whole is checked once at the end, against the stored data)
  if (await el.evaluate((e) => !!e.closest('.ant-picker'))) {
    // an Ant Design date/month picker: type the ISO text, Enter commits it
    await el.click();
    await el.fill(text);
    await el.press('Enter');
    await el.page().locator('.ant-picker-dropdown:not(.ant-picker-dropdown-hidden)').waitFor({ state: 'hidden' }).catch(() => undefined);
    return;
  }
  await el.fill(text);
}

export async function setCheckbox(page: Page, path: string, value: boolean) {
  const el = page.getByTestId(fid(path));
  if (value) await el.check();
  else await el.uncheck();
}

/** Pick an option of an Ant Design Select by its visible text. */
export async function chooseOption(page: Page, select: Locator, text: string | RegExp) {
  await select.click();
  const option = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: text }).first();
  await option.click();
}

/**
 * Add rows to a table (partners | phases | team | budget-items) until it has `n`. A click
 * that added nothing is tried again (at most three times): the click takes the focus from the
 * last row's first field, which then turns red if it is empty, and a message longer than the
 * line a cell keeps for it can move 添加 down just as the click lands (the rows' 未填写 marks,
 * arriving with the deferred rule check, did so too, seen once in CI, until the cells kept that
 * line); a click that did add a row is never repeated.
 */
export async function ensureRows(page: Page, table: string, n: number) {
  const rows = page.locator(`[data-testid^="${table}-row-"]`);
  for (let i = await rows.count(); i < n; i++) {
    for (let attempt = 1; ; attempt++) {
      await page.getByTestId(`${table}-add`).click();
      try {
        await page.getByTestId(`${table}-row-${i}`).waitFor({ timeout: 5000 });
        break;
      } catch (e) {
        if (attempt >= 3 || (await rows.count()) > i) throw e;
      }
    }
  }
}

const PARTNER_TYPE_TEXT: Record<string, string> = {
  'national-society': '全国学会',
  'enterprise-association': '企业科协',
  'park-association': '园区科协',
  other: '其他',
};

/** Fill every field of an application's data (the contract of shared/design/application-data.md) through the UI. */
export async function fillApplication(page: Page, d: Record<string, any>, shot: Shot) {
  await openSection(page, 'cover');
  for (const k of ['applicantUnit', 'contactName', 'phone', 'mobile', 'email', 'address', 'applicationDate']) await fillField(page, `cover.${k}`, d.cover[k]);
  await shot(page, 'cover');

  await openSection(page, 's1');
  await fillField(page, 'projectName', d.projectName);

  await openSection(page, 's2');
  for (const k of ['name', 'title', 'mobile', 'email']) await fillField(page, `contacts.unitHead.${k}`, d.contacts.unitHead[k]);
  for (const k of ['name', 'title', 'mobile', 'email', 'unitPhone', 'fax']) await fillField(page, `contacts.projectLead.${k}`, d.contacts.projectLead[k]);
  const partners: any[] = d.contacts.partnerUnits ?? [];
  await ensureRows(page, 'partners', partners.length);
  for (const [i, p] of partners.entries()) {
    for (const k of ['name', 'head', 'phone']) await fillField(page, `contacts.partnerUnits[${i}].${k}`, p[k]);
    if (p.orgType) await chooseOption(page, page.getByTestId(fid(`contacts.partnerUnits[${i}].orgType`)), PARTNER_TYPE_TEXT[p.orgType] ?? p.orgType);
  }
  await shot(page, 's2-contacts');

  await openSection(page, 's3');
  for (const k of ['name', 'supervisor', 'headName', 'nature', 'profile']) await fillField(page, `applicantProfile.${k}`, d.applicantProfile[k]);

  for (const [key, path] of [['s4', 'basis'], ['s5', 'plan'], ['s6', 'outcomes']] as const) {
    await openSection(page, key);
    await fillField(page, path, d[path]);
  }
  await shot(page, 's6-outcomes');

  await openSection(page, 's7');
  await fillField(page, 'schedule.start', d.schedule.start);
  await fillField(page, 'schedule.end', d.schedule.end);
  await ensureRows(page, 'phases', d.schedule.phases.length);
  for (const [i, ph] of (d.schedule.phases as any[]).entries()) for (const k of ['from', 'to', 'goal']) await fillField(page, `schedule.phases[${i}].${k}`, ph[k]);
  await shot(page, 's7-schedule');

  await openSection(page, 's8');
  await ensureRows(page, 'team', d.team.length);
  for (const [i, m] of (d.team as any[]).entries()) for (const k of ['name', 'age', 'title', 'unit', 'role', 'note']) await fillField(page, `team[${i}].${k}`, m[k]);
  await shot(page, 's8-team', true);

  await openSection(page, 's9');
  for (const k of ['castFunds', 'otherNational', 'selfRaised']) await fillField(page, `budget.${k}`, d.budget[k]);
  await ensureRows(page, 'budget-items', d.budget.items.length);
  for (const [i, it] of (d.budget.items as any[]).entries()) for (const k of ['content', 'amount', 'basis', 'note']) await fillField(page, `budget.items[${i}].${k}`, it[k]);
  await shot(page, 's9-budget');

  await openSection(page, 's10');
  for (const k of ['annualInspectionOk', 'notUnderRectification', 'noFailedAcceptance', 'noAdministrativePenalty']) await setCheckbox(page, `eligibility.${k}`, d.eligibility[k]);
  await setCheckbox(page, 'endorsement.agreed', d.endorsement.agreed);
  await setCheckbox(page, 'endorsement.accurate', d.endorsement.accurate);
  await fillField(page, 'endorsement.signatory', d.endorsement.signatory);
  await fillField(page, 'endorsement.date', d.endorsement.date);
  await shot(page, 's10-endorsement');
}

/** Wait until the header's save state is `state` (e.g. after autosave). */
export async function waitSaveState(page: Page, state: string, timeout = 20_000) {
  await page.locator(`[data-testid="save-state"][data-state="${state}"]`).waitFor({ timeout });
}

export interface IssueCounts {
  errors: number;
  unfilled: number;
  warnings: number;
}

/** The editor header's counts ("2 个错误 · 37 项未填写 · 1 个警告"; a missing part is 0). */
export async function headerCounts(page: Page): Promise<IssueCounts> {
  const t = (await page.getByTestId('issue-summary').textContent()) ?? '';
  const n = (re: RegExp) => Number(t.match(re)?.[1] ?? 0);
  return { errors: n(/(\d+) 个错误/), unfilled: n(/(\d+) 项未填写/), warnings: n(/(\d+) 个警告/) };
}

/** The section list's counts summed over every section (each section shows each kind that is not 0). */
export async function sectionListTotals(page: Page): Promise<IssueCounts> {
  const sum = async (kind: string) =>
    (await page.locator(`.editor-nav [data-testid$="-${kind}"]`).allTextContents()).reduce((n, t) => n + Number(/(\d+)/.exec(t)![1]), 0);
  return { errors: await sum('errors'), unfilled: await sum('unfilled'), warnings: await sum('warnings') };
}
