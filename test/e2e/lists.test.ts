import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { countUnfilledWhenOpened, type FormIssue } from '../../src/domain';
import { halfFilledDraft } from '../support/domain-fixtures';
import { headerCounts, sectionListTotals } from './support/editor';
import { createViaApi, csrfToken, getApplication, loadFixture, registerViaApi, screenshots, useE2E } from './support/server';

/**
 * The lists and the read-only views at 1366 × 768 (the screen size the association's staff
 * use): the applicant's list keeps 申报编号, status and times on one line; a status reads the
 * same, in the same colours, in the list and in the editor's header; the funder admin's list
 * names each 申报单位, and its read-only view names the organisation and shows the 提交时间
 * instead of an autosave time. A draft's 个错误 and 项未填写 in the list are what the editor's
 * header says when the draft is opened.
 */
const e2e = useE2E('2023-05-12T10:00:00+08:00');
const awards = loadFixture('awards');
const evaluation = loadFixture('evaluation-with-partner');
const standards = loadFixture('standards-and-tracking');
const FUNDER = { login: 'funder@example.cn', password: 'shenbao-funder-2023' };

async function post(page: Page, url: string, data?: unknown) {
  const r = await page.request.post(url, { headers: { 'x-csrf-token': await csrfToken(page) }, data });
  if (!r.ok()) throw new Error(`${url}: ${r.status()} ${await r.text()}`);
}

/** How many lines the element's text takes on screen. */
function lines(el: Locator): Promise<number> {
  return el.evaluate((node) => {
    const range = document.createRange();
    range.selectNodeContents(node);
    return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
  });
}

/** What a tag looks like: its text and colours. */
function tagLook(el: Locator): Promise<{ text: string; color: string; background: string; border: string }> {
  return el.evaluate((node) => {
    const s = getComputedStyle(node);
    return { text: node.textContent ?? '', color: s.color, background: s.backgroundColor, border: s.borderColor };
  });
}

const row = (page: Page, id: string) => page.locator(`[data-testid="applications-table"] tr[data-row-key="${id}"]`);

describe('lists and read-only views at 1366 × 768', () => {
  // the applicant's applications of the first test are what the funder admin then sees
  const ids = { submitted: '', withdrawn: '', draft: '', other: '' };

  it('applicant: one line per cell for 申报编号, status and time; the editor header shows the list’s status tag; read-only shows 提交时间, not 已保存', async () => {
    const shot = screenshots('lists-applicant');
    const ctx = await e2e.context();
    const page = await ctx.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto('/');
    await registerViaApi(page, awards.organisation);
    ids.submitted = await createViaApi(page, awards.application);
    await post(page, `/api/applications/${ids.submitted}/submit`);
    ids.withdrawn = await createViaApi(page, evaluation.application);
    await post(page, `/api/applications/${ids.withdrawn}/submit`);
    await post(page, `/api/applications/${ids.withdrawn}/withdraw`);
    ids.draft = await createViaApi(page, standards.application);

    await page.goto('/dashboard');
    await page.getByTestId(`status-${ids.withdrawn}`).waitFor();
    await page.waitForTimeout(1000); // the table fades in
    await shot(page, 'dashboard');
    expect(await page.getByTestId('applications-table').locator('th').allTextContents()).not.toContain('申报单位');
    for (const id of [ids.submitted, ids.withdrawn]) {
      const number = row(page, id).locator('td').first();
      expect(await number.textContent()).toMatch(/^2023-(JL|PJ)-0001$/);
      expect(await lines(number), `申报编号 of ${id}`).toBe(1);
    }
    expect(await page.getByTestId(`status-${ids.withdrawn}`).textContent()).toBe('已撤回，须在截止前重新提交');
    for (const id of Object.values(ids).filter(Boolean)) {
      expect(await lines(page.getByTestId(`status-${id}`)), `status of ${id}`).toBe(1);
      expect(await lines(row(page, id).locator('td').nth(4)), `最后保存 of ${id}`).toBe(1);
    }
    const listed = { submitted: await tagLook(page.getByTestId(`status-${ids.submitted}`)), withdrawn: await tagLook(page.getByTestId(`status-${ids.withdrawn}`)) };
    expect(listed.submitted.text).toBe('已提交');
    expect(listed.submitted.background).not.toBe(listed.withdrawn.background);

    // the same tags in the editor's header
    await page.goto(`/applications/${ids.withdrawn}`);
    await page.getByTestId('submit').waitFor();
    expect(await tagLook(page.getByTestId('application-status'))).toEqual(listed.withdrawn);
    expect(await page.getByTestId('submitted-at').count()).toBe(0);
    await page.goto(`/applications/${ids.submitted}`);
    await page.getByTestId('readonly-notice').waitFor();
    expect(await tagLook(page.getByTestId('application-status'))).toEqual(listed.submitted);
    // read-only: nothing is being saved, so no save time; the 提交时间 instead
    expect(await page.getByTestId('save-state').textContent()).toBe('');
    expect(await page.getByTestId('submitted-at').textContent()).toMatch(/^提交时间2023年5月12日 10:\d\d:\d\d（北京时间）$/);
    await shot(page, 'editor-submitted');
  });

  it('funder admin: the list names each 申报单位; the read-only view names the organisation and shows 提交时间, not 已保存', async () => {
    const shot = screenshots('lists-funder');
    const ctx = await e2e.context();
    const page = await ctx.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto('/');
    await registerViaApi(page, standards.organisation);
    ids.other = await createViaApi(page, standards.application);
    await post(page, `/api/applications/${ids.other}/submit`);
    await ctx.clearCookies();

    await page.goto('/login');
    await post(page, '/api/auth/login', FUNDER);
    await page.goto('/dashboard');
    await page.getByTestId(`status-${ids.other}`).waitFor();
    await page.waitForTimeout(1000);
    await shot(page, 'dashboard');
    expect(await page.getByTestId('applications-table').locator('th').allTextContents()).toContain('申报单位');
    // the submitted applications, each under its organisation; drafts (also a withdrawn one) are not listed
    expect(await page.getByTestId('applications-table').locator('tbody tr[data-row-key]').count()).toBe(2);
    expect(await page.getByTestId(`organisation-${ids.submitted}`).textContent()).toBe(awards.organisation.name);
    expect(await page.getByTestId(`organisation-${ids.other}`).textContent()).toBe(standards.organisation.name);
    for (const id of [ids.submitted, ids.other]) {
      expect(await lines(row(page, id).locator('td').first()), `申报编号 of ${id}`).toBe(1);
      expect(await lines(page.getByTestId(`status-${id}`)), `status of ${id}`).toBe(1);
    }
    const listed = await tagLook(page.getByTestId(`status-${ids.submitted}`));

    await page.getByTestId(`open-application-${ids.submitted}`).click();
    await page.getByTestId('readonly-notice').waitFor();
    expect(await page.getByTestId('application-organisation').textContent()).toBe(awards.organisation.name);
    expect(await tagLook(page.getByTestId('application-status'))).toEqual(listed);
    expect(await page.getByTestId('save-state').textContent()).toBe('');
    expect(await page.getByTestId('editor').textContent()).not.toContain('已保存');
    expect(await page.getByTestId('submitted-at').textContent()).toMatch(/^提交时间2023年5月12日 10:\d\d:\d\d（北京时间）$/);
    expect(await page.getByTestId('save').count()).toBe(0);
    await shot(page, 'read-only-view');
  });

  it('a reopened half-filled draft: the list’s 个错误 · 项未填写 are the editor header’s, and the section list adds up to them', async () => {
    const shot = screenshots('lists-half-filled');
    const ctx = await e2e.context();
    const page = await ctx.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto('/');
    await registerViaApi(page, evaluation.organisation);
    // saved yesterday: 封面, 一, 四, 八 and 九 begun, the rest untouched
    const id = await createViaApi(page, halfFilledDraft('evaluation-with-partner'));
    const saved = await getApplication(page, id);
    const errors = (saved.issues as FormIssue[]).filter((i) => i.level === 'error').length;
    const unfilled = countUnfilledWhenOpened(saved.data, saved.issues);
    const expected = { errors: errors - unfilled, unfilled, warnings: saved.issues.length - errors };
    // both kinds are there: the empty fields of the sections begun are errors, the others 未填写
    expect(expected.errors).toBeGreaterThan(0);
    expect(expected.unfilled).toBeGreaterThan(10);

    await page.goto('/dashboard');
    await page.getByTestId(`check-unfilled-${id}`).waitFor();
    await page.waitForTimeout(1000); // the table fades in
    await shot(page, 'dashboard');
    const count = async (kind: string) => {
      const tag = page.getByTestId(`check-${kind}-${id}`);
      return (await tag.count()) ? Number(/^(\d+) /.exec((await tag.textContent()) ?? '')![1]) : 0;
    };
    const listed = { errors: await count('errors'), unfilled: await count('unfilled'), warnings: await count('warnings') };
    expect(listed).toEqual(expected);
    // side by side on one line at 1366 px
    const tops = await Promise.all(['errors', 'unfilled'].map(async (k) => Math.round((await page.getByTestId(`check-${k}-${id}`).boundingBox())!.y)));
    expect(tops[0]).toBe(tops[1]);

    await page.getByTestId(`open-application-${id}`).click();
    await page.getByTestId('editor').waitFor();
    // the rules run once the page is idle: wait for their figures, then compare
    await page.getByTestId('issue-summary').filter({ hasText: `${listed.unfilled} 项未填写` }).waitFor();
    expect(await headerCounts(page)).toEqual(listed);
    expect(await sectionListTotals(page)).toEqual(listed);
    await shot(page, 'editor');
  });
});
