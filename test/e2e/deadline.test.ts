import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { fillField, openSection } from './support/editor';
import { createViaApi, csrfToken, getApplication, loadFixture, registerViaApi, screenshots, useE2E } from './support/server';

/**
 * The deadline by the server's clock: the simulated clock starts shortly before
 * 2023-05-19 23:59:59 北京时间 and runs on; the editor is opened before midnight, 提交 is
 * pressed after it and refused with the deadline in 北京时间; after a reload the page is
 * read-only. A second tab that types after midnight keeps its text on screen.
 */
const fx = loadFixture('standards-and-tracking');
const awards = loadFixture('awards');
const CLOSES = Date.parse('2023-05-19T23:59:59.999+08:00');
const DEADLINE_TEXT = '2023年5月19日 23:59:59（北京时间）';

const e2e = useE2E('2023-05-19T23:59:36+08:00');

async function serverNow(page: Page): Promise<number> {
  const r = await page.request.get('/api/session');
  return Date.parse(((await r.json()) as { now: string }).now);
}

describe('deadline (2023年5月19日 23:59:59 北京时间)', () => {
  it('提交 after midnight is refused with the deadline in 北京时间; read-only after reload', async () => {
    const shot = screenshots('deadline');
    const ctx = await e2e.context();
    const page = await ctx.newPage();
    await page.goto('/');
    await registerViaApi(page, fx.organisation);
    const id = await createViaApi(page, fx.application);

    // a second application, submitted and withdrawn before midnight, never submitted again
    const withdrawn = await createViaApi(page, awards.application);
    for (const step of ['submit', 'withdraw']) {
      const r = await page.request.post(`/api/applications/${withdrawn}/${step}`, { headers: { 'x-csrf-token': await csrfToken(page) } });
      expect(r.status(), `${step}: ${await r.text()}`).toBe(200);
    }

    await page.goto(`/applications/${id}`);
    await page.getByTestId('submit').waitFor();
    const second = await ctx.newPage();
    await second.goto(`/applications/${id}`);
    await openSection(second, 's1');
    const before = await serverNow(page);
    expect(before, 'the setup took too long: the simulated clock passed the deadline before the editor was open').toBeLessThan(CLOSES);
    expect(await page.getByTestId('editor-deadline').textContent()).toContain(DEADLINE_TEXT);
    expect(await page.getByTestId('readonly-notice').count()).toBe(0);
    await shot(page, 'before-midnight');

    // wait for the server's clock to pass the deadline
    const wait = CLOSES - before + 500;
    await page.waitForTimeout(wait);
    expect(await serverNow(page)).toBeGreaterThan(CLOSES);
    await page.getByText('申报已截止').first().waitFor({ timeout: 5000 });

    // 提交 → the server refuses, with the deadline
    await page.getByTestId('submit').click();
    await page.getByTestId('submit-confirm').click();
    const refusal = page.locator('.ant-modal-confirm-error, .ant-modal-confirm').filter({ hasText: '申报已截止' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain(DEADLINE_TEXT);
    await shot(page, 'submit-refused');

    // the other tab types after midnight: the save is refused, the text stays on screen
    const typed = fx.application.projectName + '（截止后修改）';
    await fillField(second, 'projectName', typed);
    await second.getByTestId('save-refused').waitFor({ timeout: 15_000 });
    expect(await second.getByTestId('save-refused').textContent()).toContain(DEADLINE_TEXT);
    expect(await second.getByTestId('f-projectName').inputValue()).toBe(typed);
    await shot(second, 'save-refused-text-kept');

    // after a reload: read-only, no 提交, still a draft with the data as it was
    await page.reload();
    await page.getByTestId('readonly-notice').waitFor();
    expect(await page.getByTestId('readonly-notice').textContent()).toContain(DEADLINE_TEXT);
    expect(await page.getByTestId('submit').count()).toBe(0);
    await openSection(page, 'cover');
    expect(await page.getByTestId('f-cover-phone').isDisabled()).toBe(true);
    await shot(page, 'readonly-after-reload');
    const stored = await getApplication(page, id);
    expect(stored.status).toBe('draft');
    expect(stored.number).toBeNull();
    expect(stored.data).toEqual(fx.application);

    // the list says what the deadline left: one never submitted, one withdrawn and not submitted again
    await page.goto('/dashboard');
    await page.getByTestId(`status-${withdrawn}`).waitFor();
    expect(await page.getByTestId(`status-${id}`).textContent()).toBe('未提交（已截止）');
    expect(await page.getByTestId(`status-${withdrawn}`).textContent()).toBe('已撤回，截止前未重新提交（未报送）');
    await page.waitForTimeout(1500); // the table fades in
    await shot(page, 'dashboard-after-deadline');
  });
});
