import { describe, expect, it } from 'vitest';
import { SECTIONS } from '../../src/domain/form/sections';
import { setAt, textLeaves } from '../support/text-leaves';
import { openSection } from './support/editor';
import { createViaApi, loadFixture, registerViaApi, screenshots, useE2E } from './support/server';

/**
 * Stored XSS in the browser (issue: "stored-XSS attempts in every text field rendered in the
 * browser"): every free-text field of an application holds markup that would run script if
 * it were ever put into the page as HTML. The dashboard, every section of the editor and the
 * on-screen preview show it as text, and nothing runs.
 */
const fx = loadFixture('evaluation-with-partner');
const e2e = useE2E('2023-05-12T10:00:00+08:00');

// each fires a different marker if it runs; 100 characters at most (the short fields' limit)
const PAYLOAD = '<img src=x onerror=__xss.push(1)><svg onload=__xss.push(2)><script>__xss.push(3)</script>';

/** Dates (chosen from a calendar, checked as dates) are not free text either. */
const notDates = (key: string, value: string) => /^(schedule\.phases\.(from|to)|team\.birth.*)$/.test(key) || /\d{4}-\d{2}/.test(value);

describe('stored XSS in the browser', () => {
  it('markup in every text field is shown as text on the dashboard, in every section and in the preview; no script runs', async () => {
    const shot = screenshots('xss');
    const ctx = await e2e.context();
    await ctx.addInitScript(() => {
      (window as any).__xss = [];
      window.alert = () => (window as any).__xss.push('alert');
    });
    const page = await ctx.newPage();
    await page.goto('/');
    await registerViaApi(page, fx.organisation);
    const data = structuredClone(fx.application) as any;
    const leaves = textLeaves(data, notDates);
    expect(leaves.length).toBeGreaterThan(40);
    for (const p of leaves) setAt(data, p, PAYLOAD);
    const id = await createViaApi(page, data);

    const fired = () => page.evaluate(() => (window as any).__xss as unknown[]);
    await page.goto('/dashboard');
    const link = page.getByTestId(`open-application-${id}`);
    await link.waitFor();
    expect(await link.textContent()).toBe(PAYLOAD);
    await shot(page, 'dashboard');

    await page.goto(`/applications/${id}`);
    await page.getByTestId('editor').waitFor();
    for (const s of SECTIONS) {
      await openSection(page, s.key);
      await page.waitForTimeout(100);
    }
    await openSection(page, 's1');
    expect(await page.getByTestId('f-projectName').inputValue()).toBe(PAYLOAD);
    await shot(page, 'editor');

    await page.getByTestId('preview').click();
    const drawer = page.getByTestId('preview-drawer');
    await drawer.waitFor();
    await page.waitForTimeout(500);
    const previewText = (await drawer.textContent()) ?? '';
    expect(previewText).toContain(PAYLOAD);
    // the markup is text: no element of the payload exists in the page
    expect(await page.locator('img[src="x"], svg[onload], script:not([src])').count()).toBe(0);
    await shot(page, 'preview');
    expect(await fired()).toEqual([]);
    // the check can fail: the same text put into the page as HTML makes those elements (the
    // CSP would still stop their handlers, which is why the elements are what is counted)
    await page.evaluate((p) => document.body.insertAdjacentHTML('beforeend', p), PAYLOAD);
    expect(await page.locator('img[src="x"], svg[onload], script:not([src])').count()).toBe(3);
  });
});
