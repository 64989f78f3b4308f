import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { isUnfilled, sectionOf, SECTIONS, type FormIssue } from '../../src/domain';
import { fillField, headerCounts, openSection, sectionListTotals } from './support/editor';
import { createViaApi, csrfToken, fid, getApplication, loadFixture, PASSWORD, registerViaApi, screenshots, useE2E } from './support/server';

/**
 * A new draft is not a wall of red: an empty required field the person has not reached yet
 * shows as a neutral 未填写 (counted per section and in the header); a value typed that breaks
 * a rule, and a required field visited and left empty, are errors at once; 提交 and 自查 list
 * every problem that blocks submission, as errors, exactly the ones the server reports. A
 * reopened draft shows the empty fields of the sections already worked on as errors. Each
 * section in the list shows its errors and its 未填写 side by side, and they add up to the
 * header's; a 未填写 mark going as one types moves nothing below it.
 */
const fx = loadFixture('standards-and-tracking');

const e2e = useE2E('2023-05-12T10:00:00+08:00');

/** The server's errors (GET …/:id runs the same rules) per section key. */
function errorsBySection(issues: FormIssue[]) {
  const out: Record<string, { all: number; entered: number }> = {};
  for (const s of SECTIONS) out[s.key] = { all: 0, entered: 0 };
  for (const i of issues.filter((x) => x.level === 'error')) {
    const k = sectionOf(i.path)!.key;
    out[k].all++;
    if (!isUnfilled(i)) out[k].entered++;
  }
  return out;
}

async function navState(page: Page, key: string) {
  const b = page.getByTestId(`section-${key}`);
  return { state: await b.getAttribute('data-state'), text: (await b.textContent())?.replace(/\s+/g, ' ').trim() };
}

describe('未填写 before errors', () => {
  it('a new draft: 未填写, not red; typing a bad value and leaving a field empty are errors; 提交 lists everything', async () => {
    const shot = screenshots('unfilled');
    const ctx = await e2e.context();
    const page = await ctx.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto('/');
    await registerViaApi(page, fx.organisation);

    // created through the dialog, as a secretary does (with the registration's prefill)
    await page.goto('/dashboard');
    await page.getByTestId('new-application').click();
    await page.getByTestId('new-main-standards').check();
    await page.getByTestId('new-application-create').click();
    await page.getByTestId('editor').waitFor();
    const id = (await page.getByTestId('editor').getAttribute('data-application-id'))!;
    const fresh = await getApplication(page, id);
    const expected = errorsBySection(fresh.issues);
    const totalErrors = fresh.issues.filter((i: FormIssue) => i.level === 'error').length;
    expect(totalErrors).toBeGreaterThan(25); // the empty form does block submission
    expect(Object.values(expected).every((c) => c.entered === 0)).toBe(true);

    // --- the new draft: no red anywhere, each section says how many are still to fill in
    await openSection(page, 'cover');
    await page.getByTestId(`unfilled-${fid('cover.phone')}`).waitFor();
    for (const s of SECTIONS) {
      const n = expected[s.key].all;
      expect(await navState(page, s.key), s.key).toEqual(n > 0 ? { state: 'unfilled', text: `${s.nav} ${n} 项未填写` } : { state: 'complete', text: `${s.nav} 完成` });
    }
    expect(await page.getByTestId('issue-summary').textContent()).toBe(`${totalErrors} 项未填写`);
    expect(await sectionListTotals(page)).toEqual(await headerCounts(page));
    expect(await page.locator('.ant-form-item-has-error').count()).toBe(0);
    expect(await page.locator('[data-testid^="issue-f-"]').count()).toBe(0);
    expect(await page.getByTestId(`unfilled-${fid('cover.address')}`).textContent()).toBe('未填写');
    // the prefilled 申报单位 has no mark at all
    expect(await page.getByTestId(`unfilled-${fid('cover.applicantUnit')}`).count()).toBe(0);
    await shot(page, 'new-draft-cover');

    // the dashboard says the same: still to fill in, not red errors
    await page.goto('/dashboard');
    const line = page.locator('tr', { has: page.locator(`text=${totalErrors} 项未填写`) });
    await line.waitFor();
    expect(await line.locator('.ant-tag-red').count()).toBe(0);
    await shot(page, 'new-draft-dashboard');
    await page.goto(`/applications/${id}`);
    await page.getByTestId('editor').waitFor();

    await openSection(page, 's8');
    expect(await page.getByTestId(fid('team')).textContent()).toBe(''); // the empty table says so; no red box
    expect(await page.getByTestId('section-panel-s8').locator('[role="alert"]').count()).toBe(0);
    await openSection(page, 's10');
    expect(await page.locator('.ant-form-item-has-error').count()).toBe(0);
    expect(await page.getByTestId(`unfilled-${fid('endorsement.signatory')}`).textContent()).toBe('未填写');
    expect(await page.getByTestId(fid('eligibility.annualInspectionOk')).isChecked()).toBe(false);

    // --- a value typed that breaks a rule is an error at once, while the field still has the focus
    await openSection(page, 'cover');
    const phone = page.getByTestId(fid('cover.phone'));
    await phone.click();
    await phone.pressSequentially('6217830');
    const phoneIssue = page.getByTestId(`issue-${fid('cover.phone')}`);
    await phoneIssue.waitFor();
    expect(await phoneIssue.textContent()).toBe('封面“联系电话”应为带区号的固定电话，例如 010-62178305');
    expect(await phone.evaluate((e) => e === document.activeElement)).toBe(true);
    // the section shows its error and what is still 未填写 in it, side by side
    expect(await navState(page, 'cover')).toEqual({ state: 'error', text: `封面 1 个错误 ${expected.cover.all - 1} 项未填写` });
    expect(await sectionListTotals(page)).toEqual(await headerCounts(page));

    // --- a required field visited and left empty is an error
    await page.getByTestId(fid('cover.address')).click();
    await page.getByTestId(fid('cover.address')).press('Tab');
    const addressIssue = page.getByTestId(`issue-${fid('cover.address')}`);
    await addressIssue.waitFor();
    expect(await addressIssue.textContent()).toBe('请填写封面“通讯地址”');
    expect(await navState(page, 'cover')).toEqual({ state: 'error', text: `封面 2 个错误 ${expected.cover.all - 2} 项未填写` });
    // the other sections are still only 未填写, and the header counts both kinds
    expect((await navState(page, 's2')).state).toBe('unfilled');
    expect(await page.getByTestId('issue-summary').textContent()).toBe(`2 个错误 · ${totalErrors - 2} 项未填写`);
    expect(await sectionListTotals(page)).toEqual({ errors: 2, unfilled: totalErrors - 2, warnings: 0 });
    // the date not yet reached stays neutral in the same section
    expect(await page.getByTestId(`unfilled-${fid('cover.applicationDate')}`).textContent()).toBe('未填写');
    await shot(page, 'typed-and-left-empty');

    // --- 提交: nothing is sent, 自查 opens with every problem that blocks submission, as errors
    await page.getByTestId('submit').click();
    await page.getByTestId('self-check').waitFor();
    await page.locator('[data-testid="save-state"][data-state="saved"]').waitFor();
    const server = await getApplication(page, id);
    const serverErrors = server.issues.filter((i: FormIssue) => i.level === 'error');
    expect(serverErrors.length).toBe(totalErrors); // the phone's format error replaced its 未填写
    const listed = await page.locator('[data-testid="self-check-issue"][data-level="error"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-path')));
    expect([...listed].sort()).toEqual(serverErrors.map((i: FormIssue) => i.path).sort());
    const unfilledNow = serverErrors.filter(isUnfilled).length;
    expect(await page.getByTestId('self-check-summary').textContent()).toContain(`还有 ${totalErrors} 个错误需要修改后才能提交（其中 ${unfilledNow} 项是未填写的必填项）`);
    const after = errorsBySection(server.issues);
    for (const s of SECTIONS) if (after[s.key].all > 0) expect(await navState(page, s.key), s.key).toEqual({ state: 'error', text: `${s.nav} ${after[s.key].all} 个错误` });
    expect(await page.getByTestId('issue-summary').textContent()).toBe(`${totalErrors} 个错误`);
    expect(await sectionListTotals(page)).toEqual(await headerCounts(page));
    await shot(page, 'after-submit-self-check');
    // now the fields say so too
    await openSection(page, 'cover');
    expect(await page.getByTestId(`issue-${fid('cover.applicationDate')}`).textContent()).toBe('请填写封面“申请日期”');
    await shot(page, 'after-submit-cover');

    // what the server accepts is unchanged: it refuses the same problems
    const token = await csrfToken(page);
    const refused = await page.request.post(`/api/applications/${id}/submit`, { headers: { 'x-csrf-token': token } });
    expect(refused.status()).toBe(422);
    expect(((await refused.json()).issues as FormIssue[]).filter((i) => i.level === 'error').length).toBe(totalErrors);
    expect(pageErrors).toEqual([]);
  });

  it('a reopened draft: the sections already worked on show their empty fields as errors, the others 未填写', async () => {
    const shot = screenshots('unfilled-reopened');
    const ctx = await e2e.context();
    const page = await ctx.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto('/');
    const token = await csrfToken(page);
    const login = await page.request.post('/api/auth/login', { headers: { 'x-csrf-token': token }, data: { login: fx.organisation.adminEmail, password: PASSWORD } });
    expect(login.status(), await login.text()).toBe(200);
    // saved earlier: 封面 partly filled by the person (联系电话), 一 filled, nothing else
    const id = await createViaApi(page, {
      subProgrammes: ['tracking'],
      trackingTrack: 'standards',
      projectName: fx.application.projectName,
      cover: { applicantUnit: fx.organisation.name, phone: '010-62178305' },
    });
    await page.goto(`/applications/${id}`);
    await page.getByTestId('editor').waitFor();
    await openSection(page, 'cover');
    await page.getByTestId(`issue-${fid('cover.address')}`).waitFor();
    expect(await page.getByTestId(`issue-${fid('cover.address')}`).textContent()).toBe('请填写封面“通讯地址”');
    const server = errorsBySection((await getApplication(page, id)).issues);
    expect(await navState(page, 'cover')).toEqual({ state: 'error', text: `封面 ${server.cover.all} 个错误` });
    expect(await navState(page, 's1')).toEqual({ state: 'complete', text: '一、项目名称 完成' });
    expect(await navState(page, 's2')).toEqual({ state: 'unfilled', text: `二、项目联系人 ${server.s2.all} 项未填写` });
    expect(await sectionListTotals(page)).toEqual(await headerCounts(page));
    await shot(page, 'reopened-cover');
  });

  it('a 未填写 mark sits in the room a field keeps for its message: it arriving or going moves nothing below', async () => {
    const shot = screenshots('unfilled-no-shift');
    const ctx = await e2e.context();
    const page = await ctx.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto('/');
    const token = await csrfToken(page);
    expect((await page.request.post('/api/auth/login', { headers: { 'x-csrf-token': token }, data: { login: fx.organisation.adminEmail, password: PASSWORD } })).status()).toBe(200);
    const id = await createViaApi(page, { subProgrammes: ['evaluation'], cover: { applicantUnit: fx.organisation.name } });
    await page.goto(`/applications/${id}`);
    await page.getByTestId('editor').waitFor();
    /** Where an element sits on the page (px from the top of the document). */
    const top = (testId: string) => page.getByTestId(testId).evaluate((e) => Math.round(e.getBoundingClientRect().top + window.scrollY));
    /** Type `value` and wait until the field's 未填写 mark has gone (the rules run deferred; the mark fades out). */
    const fillAway = async (path: string, value: string) => {
      await fillField(page, path, value);
      await page.getByTestId(`unfilled-${fid(path)}`).waitFor({ state: 'detached' });
      await page.waitForTimeout(300);
    };

    // a field outside a table: the next one stays where it was
    await openSection(page, 'cover');
    await page.getByTestId(`unfilled-${fid('cover.phone')}`).waitFor();
    const mobile = await top(fid('cover.mobile'));
    await fillAway('cover.phone', '010-62178305');
    expect(await top(fid('cover.mobile'))).toBe(mobile);

    // a table row: its marks arrive after the row (with the deferred rule check) and go one by
    // one as the person types; 添加 below it does not move either time
    await openSection(page, 's8');
    await page.getByTestId('team-add').click();
    await page.getByTestId('team-row-0').waitFor();
    const add = await top('team-add');
    await page.getByTestId(`unfilled-${fid('team[0].role')}`).waitFor();
    expect(await top('team-add')).toBe(add);
    await shot(page, 'team-row-unfilled');
    for (const [k, v] of [['name', '周志刚'], ['age', '52'], ['title', '研究员'], ['unit', '中国工业智能检测学会'], ['role', '统筹']]) {
      await fillAway(`team[0].${k}`, v);
      expect(await top('team-add'), k).toBe(add);
    }
    expect(await page.getByTestId('team-row-0').locator('.unfilled').count()).toBe(0);
    await shot(page, 'team-row-filled');
  });
});
