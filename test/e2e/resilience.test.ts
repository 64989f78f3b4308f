import { describe, expect, it } from 'vitest';
import { makeUscc } from '../support/fixtures';
import { fillField, openSection, waitSaveState } from './support/editor';
import { createViaApi, getApplication, loadFixture, PASSWORD, registerViaApi, screenshots, useE2E } from './support/server';

/**
 * Nothing typed is lost: two tabs saving the same field (409 → the merge dialog, field by
 * field), and text typed while the login has expired (kept in the browser, offered back after
 * logging in again).
 */
const fx = loadFixture('standards-and-tracking');

const e2e = useE2E('2023-05-12T10:00:00+08:00');

describe('nothing typed is lost', () => {
  it('two tabs edit the same field: the second save shows the conflict dialog; "mine" is kept, the rest merged', async () => {
    const shot = screenshots('resilience-conflict');
    const ctx = await e2e.context();
    const tab1 = await ctx.newPage();
    await tab1.goto('/');
    await registerViaApi(tab1, fx.organisation);
    const id = await createViaApi(tab1, fx.application);
    const tab2 = await ctx.newPage();
    for (const tab of [tab1, tab2]) {
      await tab.goto(`/applications/${id}`);
      await openSection(tab, 'cover');
    }

    // tab 1 changes the address and the phone, and saves
    await fillField(tab1, 'cover.address', '北京市海淀区学院路 1 号（第一个窗口）');
    await fillField(tab1, 'cover.phone', '010-62170000');
    await waitSaveState(tab1, 'dirty');
    await tab1.getByTestId('save').click();
    await waitSaveState(tab1, 'saved');

    // tab 2, still on the old version, changes the address too
    await fillField(tab2, 'cover.address', '北京市海淀区学院路 2 号（第二个窗口）');
    await tab2.getByTestId('save').click();
    const dialog = tab2.getByTestId('conflict-dialog').getByRole('dialog');
    await dialog.waitFor();
    const field = tab2.locator('[data-testid="conflict-field"][data-path="cover.address"]');
    await field.waitFor();
    expect(await field.textContent()).toContain('第一个窗口');
    expect(await field.textContent()).toContain('第二个窗口');
    expect(await tab2.locator('[data-testid="conflict-field"]').count()).toBe(1);
    expect(await tab2.getByTestId('conflict-merge').isDisabled()).toBe(true);
    await shot(tab2, 'conflict-dialog');
    await field.getByTestId('conflict-choose-mine').click();
    await tab2.getByTestId('conflict-merge').click();
    await dialog.waitFor({ state: 'hidden' });
    await waitSaveState(tab2, 'saved');
    await shot(tab2, 'merged');

    const stored = await getApplication(tab2, id);
    expect(stored.data.cover.address).toBe('北京市海淀区学院路 2 号（第二个窗口）'); // the chosen one
    expect(stored.data.cover.phone).toBe('010-62170000'); // tab 1's other change, merged
    expect(await tab2.getByTestId('f-cover-phone').inputValue()).toBe('010-62170000');
    expect(stored.data.projectName).toBe(fx.application.projectName);
  });

  it('text typed while the session expired is kept and offered back after logging in again', async () => {
    const shot = screenshots('resilience-session');
    const ctx = await e2e.context();
    const page = await ctx.newPage();
    await page.goto('/');
    const org = { ...fx.organisation, uscc: makeUscc(10170001), adminEmail: 'session@example.cn', name: '中国会话过期测试学会' };
    await registerViaApi(page, org);
    const id = await createViaApi(page, fx.application);
    await page.goto(`/applications/${id}`);
    await openSection(page, 's4');

    // the session ends (cookies gone), then the secretary keeps typing
    await ctx.clearCookies();
    const typed = fx.application.basis + '\n（会话过期后补充的一段文字，不能丢。）';
    await fillField(page, 'basis', typed);
    await page.getByTestId('session-expired').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('save-state').getAttribute('data-state')).toBe('expired');
    expect(await page.getByTestId('f-basis').inputValue()).toBe(typed); // still on screen
    await shot(page, 'session-expired');

    // log in again from the header
    await page.getByTestId('relogin').click();
    await page.getByTestId('login-name').fill(org.adminEmail);
    await page.getByTestId('login-password').fill(PASSWORD);
    await shot(page, 'login-again');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('editor').waitFor();
    expect(page.url()).toContain(`/applications/${id}`);

    // the local copy is offered back; accepting saves it
    await page.getByTestId('restore-offer').waitFor();
    await shot(page, 'restore-offer');
    await page.getByTestId('restore-accept').click();
    await page.getByTestId('restore-offer').waitFor({ state: 'detached' });
    await waitSaveState(page, 'saved');
    await openSection(page, 's4');
    expect(await page.getByTestId('f-basis').inputValue()).toBe(typed);
    const stored = await getApplication(page, id);
    expect(stored.data.basis).toBe(typed);
    expect(stored.data.plan).toBe(fx.application.plan);
    await shot(page, 'restored');
  });

  it('a tab closed before it saved keeps its text, even after another tab of the same application saves', async () => {
    const shot = screenshots('resilience-closed-tab');
    const ctx = await e2e.context();
    const tabB = await ctx.newPage();
    await tabB.goto('/');
    const org = { ...fx.organisation, uscc: makeUscc(10170002), adminEmail: 'closed-tab@example.cn', name: '中国关闭标签测试学会' };
    await registerViaApi(tabB, org);
    const id = await createViaApi(tabB, fx.application);
    await tabB.goto(`/applications/${id}`);
    await openSection(tabB, 's5');

    // tab A types into 四 and is closed at once (a crash: no unload prompt, no autosave yet)
    const tabA = await ctx.newPage();
    await tabA.goto(`/applications/${id}`);
    await openSection(tabA, 's4');
    const typedA = fx.application.basis + '\n（关闭前在另一个窗口补充的文字。）';
    await fillField(tabA, 'basis', typedA);
    await tabA.close({ runBeforeUnload: false });

    // tab B edits 五 and saves successfully
    const typedB = fx.application.plan + '\n（第二个窗口的修改。）';
    await fillField(tabB, 'plan', typedB);
    await tabB.getByTestId('save').click();
    await waitSaveState(tabB, 'saved');
    await tabB.close();

    // opening the application again offers tab A's text back
    const again = await ctx.newPage();
    await again.goto(`/applications/${id}`);
    await again.getByTestId('restore-offer').waitFor();
    await shot(again, 'restore-offer');
    await again.getByTestId('restore-accept').click();
    // A's copy was made on the old version: merging it with B's save keeps both
    const dialog = again.getByTestId('conflict-dialog');
    await Promise.race([waitSaveState(again, 'saved'), dialog.locator('.ant-modal').waitFor().catch(() => undefined)]);
    const stored = await getApplication(again, id);
    expect(stored.data.basis).toBe(typedA);
    expect(stored.data.plan).toBe(typedB);
  });
});
