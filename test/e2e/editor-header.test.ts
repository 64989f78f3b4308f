import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createViaApi, csrfToken, loadFixture, registerViaApi, screenshots, useE2E } from './support/server';

/**
 * The editor's sticky header with a long project name (43 characters; the limit is 100) at the
 * widths the association's staff and the societies' secretaries use, 1366 and 1024 px: the
 * name stays on one line, cut with an ellipsis, the whole name in a tooltip; the actions stay
 * on the header's first line, within the window; the header is no taller than with a short
 * name. Before, the name pushed 保存 / 预览 / 提交 (at 1024 px also the deadline and the save
 * state) onto a line of their own.
 */
const e2e = useE2E('2023-05-12T10:00:00+08:00');
const standards = loadFixture('standards-and-tracking');
const evaluation = loadFixture('evaluation-with-partner');
const awards = loadFixture('awards');
const LONG_NAME = '面向长江经济带先进制造业集群的工业智能检测与质量追溯团体标准体系研制及示范应用推广项目';

type Box = { x: number; y: number; width: number; height: number };

async function box(el: Locator): Promise<Box> {
  const b = await el.boundingBox();
  if (!b) throw new Error('element not on screen');
  return b;
}

/** Whether the element's text is cut (wider than its box) and drawn on one line with an ellipsis. */
function cutOnOneLine(el: Locator): Promise<{ cut: boolean; ellipsis: boolean; lines: number }> {
  return el.evaluate((node) => {
    const s = getComputedStyle(node);
    const range = document.createRange();
    range.selectNodeContents(node);
    const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
    return { cut: node.scrollWidth > node.clientWidth, ellipsis: s.textOverflow === 'ellipsis' && s.whiteSpace === 'nowrap', lines: tops.size };
  });
}

async function open(page: Page, id: string, width: number) {
  await page.setViewportSize({ width, height: 768 });
  await page.goto(`/applications/${id}`);
  await page.getByTestId('editor-project-name').waitFor();
  await page.getByTestId('editor-actions').waitFor();
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

describe('the editor header with a long project name', () => {
  it('at 1366 and 1024 px: the name is cut on one line (whole in a tooltip), the actions stay on the first line', async () => {
    const shot = screenshots('editor-header');
    const ctx = await e2e.context();
    const page = await ctx.newPage();
    await page.goto('/');
    await registerViaApi(page, standards.organisation);
    const draft = await createViaApi(page, { ...standards.application, projectName: LONG_NAME });
    const submitted = await createViaApi(page, { ...evaluation.application, projectName: LONG_NAME });
    const short = await createViaApi(page, { ...awards.application, projectName: '团体标准研制' });
    const r = await page.request.post(`/api/applications/${submitted}/submit`, { headers: { 'x-csrf-token': await csrfToken(page) } });
    expect(r.status()).toBe(200);
    expect([...LONG_NAME].length).toBeGreaterThanOrEqual(40);

    // a draft shows 保存 预览 提交; a submitted application 预览 撤回修改
    const cases = [
      { id: draft, state: 'draft', actions: ['save', 'preview', 'submit'] },
      { id: submitted, state: 'submitted', actions: ['preview', 'withdraw'] },
    ];
    for (const width of [1366, 1024]) {
      await open(page, short, width);
      const shortHeader = await box(page.locator('.editor-header'));
      for (const c of cases) {
        const label = `${c.state} at ${width} px`;
        await open(page, c.id, width);
        await shot(page, `${c.state}-${width}`);
        const name = page.getByTestId('editor-project-name');
        expect(await name.textContent(), label).toBe(LONG_NAME);
        expect(await cutOnOneLine(name), label).toEqual({ cut: true, ellipsis: true, lines: 1 });

        const header = await box(page.locator('.editor-header'));
        const firstLine = await box(page.getByTestId('editor-title'));
        const buttons = await Promise.all(c.actions.map((a) => box(page.getByTestId(a))));
        for (const [i, b] of buttons.entries()) {
          const what = `${label}: ${c.actions[i]} ${JSON.stringify(b)}, first line ${JSON.stringify(firstLine)}`;
          // every action on the line the title block starts, and inside the window
          expect(Math.round(b.y), what).toBe(Math.round(buttons[0].y));
          expect(b.y, what).toBeGreaterThanOrEqual(firstLine.y);
          expect(b.y + b.height, what).toBeLessThanOrEqual(firstLine.y + firstLine.height + 0.5);
          expect(b.x + b.width, what).toBeLessThanOrEqual(header.x + header.width);
        }
        // the deadline and the save state (or 提交时间) share that line too
        for (const id of ['editor-deadline', c.state === 'draft' ? 'save-state' : 'submitted-at']) {
          const b = await box(page.getByTestId(id));
          expect(b.y, `${label}: ${id}`).toBeGreaterThanOrEqual(firstLine.y - 0.5);
          expect(b.y + b.height, `${label}: ${id}`).toBeLessThanOrEqual(firstLine.y + firstLine.height + 0.5);
        }
        // the long name makes the header no taller than a short one does
        expect(Math.round(header.height), label).toBe(Math.round(shortHeader.height));
      }
    }

    // the whole name on hover (at 1024 px, the last width above)
    await open(page, draft, 1024);
    await page.getByTestId('editor-project-name').hover();
    const tip = page.locator('.ant-tooltip').filter({ hasText: LONG_NAME });
    await tip.waitFor();
    expect((await tip.textContent())?.trim()).toBe(LONG_NAME);
    await shot(page, 'tooltip-1024');
    // the call and 申报单位 line, cut at this width, names both in its title
    const context = page.locator('.editor-context');
    expect(await context.getAttribute('title')).toContain(`申报单位：${standards.organisation.name}`);

    // a short name is not cut
    await open(page, short, 1366);
    expect(await cutOnOneLine(page.getByTestId('editor-project-name'))).toEqual({ cut: false, ellipsis: true, lines: 1 });
  });
});
