import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { serverNodeFlags } from '../support/server-process';
import { chooseOption, fillApplication, fillField, openSection, waitSaveState } from './support/editor';
import { getApplication, loadFixture, PASSWORD, screenshots, useE2E } from './support/server';

/**
 * The applicant's journey in a real Chromium: register the organisation, create the
 * application, fill every field of the richest fixture through the UI, see a rule message
 * appear at its field and go away, autosave, 自查, submit, download the PDF, check the stored
 * data through the API, read-only after submission, withdraw while the window is open.
 */
const fx = loadFixture('standards-and-tracking');

const e2e = useE2E('2023-05-12T10:00:00+08:00');

describe('applicant journey (standards-and-tracking fixture)', () => {
  it('the server under test runs as `npm run demo` runs it: the node flags of package.json', () => {
    // the command line the kernel holds for the process (NUL-separated), not what the launcher meant to pass
    const cmdline = readFileSync(`/proc/${e2e.server.process.child.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const flags = serverNodeFlags();
    expect(flags).toContain('--max-semi-space-size=64');
    expect(cmdline.slice(1, 1 + flags.length)).toEqual(flags);
    expect(cmdline.slice(-2).map((a) => a.replace(/.*\/src\//, 'src/'))).toEqual(['src/server/main.ts', '--demo']);
  });

  it('register → fill everything → rule message → autosave → 自查 → submit → PDF → read-only → withdraw', async () => {
    const shot = screenshots('journey');
    const ctx = await e2e.context();
    const page = await ctx.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));

    // --- the call page and registration
    await page.goto('/');
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await shot(page, 'call-page');
    await page.getByTestId('nav-register').click();
    // 注册 on the empty form: each required field says so, the code's format help stays
    await page.getByTestId('register-submit').click();
    const usccItem = page.locator('.ant-form-item').filter({ has: page.getByTestId('register-uscc') });
    await usccItem.locator('.ant-form-item-explain-error').waitFor();
    expect(await usccItem.locator('.ant-form-item-explain-error').allTextContents()).toEqual(['请填写统一社会信用代码']);
    expect(await usccItem.locator('.ant-form-item-extra').textContent()).toBe('18 位，见登记证书或营业执照；全国学会的代码以 51 开头');
    await shot(page, 'register-empty');
    const o = fx.organisation;
    await page.getByTestId('register-org-name').fill(o.name);
    await page.getByTestId('register-uscc').fill(o.uscc);
    await page.getByTestId(`register-org-type-${o.type}`).check();
    await page.getByTestId('register-admin-name').fill(o.adminName);
    await page.getByTestId('register-email').fill(o.adminEmail);
    await page.getByTestId('register-mobile').fill(o.adminMobile);
    await page.getByTestId('register-password').fill(PASSWORD);
    await expect(await page.getByText('代码格式与校验位正确').isVisible()).toBe(true);
    // the required messages of the empty form go once each field is filled
    await page.locator('.ant-form-item-explain-error').first().waitFor({ state: 'detached' });
    await shot(page, 'register');
    await page.getByTestId('register-submit').click();
    await page.getByTestId('dashboard').waitFor();
    expect(await page.getByTestId('nav-user').textContent()).toContain(o.name);
    await shot(page, 'dashboard');
    // logged in, the registration form is not offered again: one account per 申报单位
    await page.goto('/register');
    await page.getByTestId('register-logged-in').waitFor();
    expect(await page.getByTestId('register-logged-in').textContent()).toContain(o.name);
    expect(await page.getByTestId('register-submit').count()).toBe(0);
    await shot(page, 'register-logged-in');
    await page.getByRole('link', { name: '进入我的申报' }).click();
    await page.getByTestId('dashboard').waitFor();

    // --- a new application: 团体标准 + 跟踪与服务 (track: 团体标准)
    const a = fx.application;
    await page.getByTestId('new-application').click();
    await page.getByTestId(`new-main-${a.subProgrammes[0]}`).check();
    await page.getByTestId('new-tracking').check();
    await chooseOption(page, page.getByTestId('new-track'), '团体标准');
    await shot(page, 'new-application-dialog');
    await page.getByTestId('new-application-create').click();
    await page.getByTestId('editor').waitFor();
    const id = await page.getByTestId('editor').getAttribute('data-application-id');
    expect(id).toBeTruthy();
    expect(page.url()).toContain(`/applications/${id}`);

    // 申报专项 as chosen in the dialog
    await openSection(page, 'programme');
    expect(await page.getByTestId(`programme-${a.subProgrammes[0]}`).isChecked()).toBe(true);
    expect(await page.getByTestId('programme-tracking').isChecked()).toBe(true);
    expect(await page.getByTestId('f-trackingTrack').textContent()).toContain('团体标准');
    await shot(page, 'programme');

    // --- every field of the fixture, typed through the UI
    await fillApplication(page, a, shot);

    // --- a rule message at its field, in Chinese, and gone once corrected
    await openSection(page, 's2');
    const mobile = page.getByTestId('f-contacts-projectLead-mobile');
    const issue = page.getByTestId('issue-f-contacts-projectLead-mobile');
    await mobile.fill('');
    await mobile.pressSequentially('1380000230'); // 10 digits
    // the rules render at low priority: the message for the emptied field may show first
    await issue.filter({ hasText: '项目负责人手机应为 11 位手机号码' }).waitFor({ state: 'visible' });
    expect(await issue.textContent()).toContain('项目负责人手机应为 11 位手机号码');
    expect(await page.getByTestId('section-s2').getAttribute('data-state')).toBe('error');
    await shot(page, 'rule-error-visible');
    await mobile.fill(a.contacts.projectLead.mobile);
    await issue.waitFor({ state: 'detached' });
    await shot(page, 'rule-error-gone');

    // a filled date field's calendar opens at its own month (June), not at the clock's (May)
    await openSection(page, 's7');
    await page.getByTestId('f-schedule-start').click();
    const panel = page.locator('.ant-picker-dropdown:visible .ant-picker-header-view');
    await panel.waitFor();
    expect((await panel.textContent())?.replace(/\s+/g, '')).toBe('2023年6月');
    await page.keyboard.press('Escape');

    // budget totals as typed, in 万元 with the 元 figure
    await openSection(page, 's9');
    expect(await page.getByTestId('budget-total').textContent()).toContain('36.5 万元（365,000 元）');
    expect(await page.getByTestId('budget-totals').textContent()).toContain('与经费总预算相等');

    // --- autosave
    await waitSaveState(page, 'saved');
    expect(await page.getByTestId('save-state').textContent()).toMatch(/已保存/);

    // --- 自查: no error (and this fixture has no warning either)
    await openSection(page, 'check');
    const check = page.getByTestId('self-check');
    await check.waitFor();
    expect(await page.locator('[data-testid="self-check-issue"][data-level="error"]').count()).toBe(0);
    expect(await check.textContent()).toContain('可以提交');
    for (const key of ['cover', 's1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10'])
      expect(await page.getByTestId(`section-${key}`).getAttribute('data-state'), key).not.toBe('error');
    await shot(page, 'self-check');

    // the stored data is what was typed (the whole fixture)
    const stored = await getApplication(page, id!);
    expect(stored.data).toEqual(a);
    expect(stored.status).toBe('draft');

    // --- submit (asks once, says what will be frozen)
    await page.getByTestId('submit').click();
    await page.getByTestId('submit-dialog').waitFor();
    expect(await page.getByTestId('submit-dialog').textContent()).toContain('冻结');
    await shot(page, 'submit-dialog');
    await page.getByTestId('submit-confirm').click();
    await page.getByTestId('submitted-page').waitFor();
    const number = (await page.getByTestId('submitted-number').textContent())?.trim();
    expect(number).toMatch(/^2023-BZ-\d{4}$/);
    expect(await page.getByTestId('next-steps').textContent()).toMatch(/一式 \d+ 份/);
    await shot(page, 'submitted', true);

    // --- the PDF, through the button (the browser's request, passed through and kept)
    let pdf: Buffer | null = null;
    let pdfType = '';
    await ctx.route('**/api/applications/*/pdf', async (route) => {
      const res = await route.fetch();
      pdf = await res.body();
      pdfType = res.headers()['content-type'] ?? '';
      await route.fulfill({ response: res, body: pdf });
    });
    const popup = ctx.waitForEvent('page').catch(() => null);
    await page.getByTestId('submitted-pdf').click();
    const deadline = Date.now() + 30_000;
    while (!pdf && Date.now() < deadline) await page.waitForTimeout(100);
    await (await popup)?.close().catch(() => undefined);
    await ctx.unroute('**/api/applications/*/pdf');
    expect(pdf, 'the PDF was not requested').not.toBeNull();
    const bytes = pdf as unknown as Buffer;
    expect(pdfType).toContain('application/pdf');
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(bytes.length).toBeGreaterThan(10 * 1024);

    // --- the API: submitted, numbered, data unchanged
    const after = await getApplication(page, id!);
    expect(after.status).toBe('submitted');
    expect(after.number).toBe(number);
    expect(after.data).toEqual(a);

    // --- the editor is read-only after submission
    await page.getByRole('link', { name: '查看申报书' }).click();
    await page.getByTestId('editor').waitFor();
    await page.getByTestId('readonly-notice').waitFor();
    expect(await page.getByTestId('application-number').textContent()).toBe(number);
    expect(await page.getByTestId('submit').count()).toBe(0);
    expect(await page.getByTestId('save').count()).toBe(0);
    await openSection(page, 'cover');
    expect(await page.getByTestId('f-cover-phone').isDisabled()).toBe(true);
    await openSection(page, 's8');
    expect(await page.getByTestId('f-team-2-age').isDisabled()).toBe(true);
    expect(await page.getByTestId('team-add').count()).toBe(0);
    await openSection(page, 's10');
    expect(await page.getByTestId('f-eligibility-annualInspectionOk').isDisabled()).toBe(true);
    await shot(page, 'readonly');

    // --- withdraw (the window is open): editable again, a draft without losing the data
    await page.getByTestId('withdraw').click();
    await page.getByTestId('withdraw-confirm').click();
    await page.getByTestId('readonly-notice').waitFor({ state: 'detached' });
    await page.getByTestId('submit').waitFor();
    expect(await page.getByTestId('application-status').textContent()).toBe('已撤回，须在截止前重新提交');
    await openSection(page, 's1');
    expect(await page.getByTestId('f-projectName').isDisabled()).toBe(false);
    await fillField(page, 'projectName', a.projectName + '（修改）');
    await waitSaveState(page, 'dirty');
    await waitSaveState(page, 'saved');
    await shot(page, 'withdrawn-and-edited');
    const withdrawn = await getApplication(page, id!);
    expect(withdrawn.status).toBe('draft');
    expect(withdrawn.data.projectName).toBe(a.projectName + '（修改）');
    expect(withdrawn.data.team).toEqual(a.team);

    expect(pageErrors).toEqual([]);
  });
});
