import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { makeUscc } from '../support/fixtures';
import { createViaApi, csrfToken, loadFixture, registerViaApi, screenshots, useE2E } from './support/server';

/**
 * The funder admin's exports from the dashboard in a real browser: the nav reads 申报管理,
 * 导出申报汇总（Excel） saves the .xlsx, 下载全部申报书 PDF（压缩包） shows how many 申报书
 * have arrived and saves the .zip under the server's Chinese file name.
 */
const e2e = useE2E('2023-05-12T09:00:00+08:00');
const FUNDER = { login: 'funder@example.cn', password: 'shenbao-funder-2023' };
const FIXTURES = ['awards', 'evaluation-with-partner', 'standards-and-tracking'];
/** Submitted applications: the three fixtures, and copies of one under other organisations. */
const COUNT = 8;

async function submitViaApi(page: Page, id: string) {
  const r = await page.request.post(`/api/applications/${id}/submit`, { headers: { 'x-csrf-token': await csrfToken(page) } });
  if (r.status() !== 200) throw new Error(`submit failed: ${r.status()} ${await r.text()}`);
}

describe('funder exports from the dashboard', () => {
  it('Excel summary and the .zip of every 申报书 with its progress', async () => {
    const shot = screenshots('exports');
    for (let i = 0; i < COUNT; i++) {
      const fx = loadFixture(FIXTURES[i % FIXTURES.length]);
      if (i >= FIXTURES.length) {
        const uscc = makeUscc();
        fx.organisation = { ...fx.organisation, name: `${fx.organisation.name}（第${i}家）`, uscc, adminEmail: `e2e-export-${i}@example.cn` };
      }
      const ctx = await e2e.context();
      const page = await ctx.newPage();
      await page.goto('/');
      await registerViaApi(page, fx.organisation);
      await submitViaApi(page, await createViaApi(page, fx.application));
      await ctx.close();
    }

    const ctx = await e2e.context();
    const page = await ctx.newPage();
    await page.goto('/login');
    const login = await page.request.post('/api/auth/login', { headers: { 'x-csrf-token': await csrfToken(page) }, data: FUNDER });
    expect(login.status()).toBe(200);
    await page.goto('/dashboard');
    await page.getByTestId('export-zip').waitFor();
    expect(await page.getByTestId('nav-dashboard').textContent()).toBe('申报管理');
    await page.getByTestId('applications-table').getByText('2023-BZ-0001').waitFor();
    await shot(page, 'staff-dashboard');

    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
    expect(xlsx.suggestedFilename()).toBe('2023年学会公共服务能力提升项目-申报汇总-20230512.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync((await xlsx.path())!) as unknown as ExcelJS.Buffer);
    expect(wb.getWorksheet('申报汇总')!.rowCount).toBe(1 + COUNT);

    // a slow line (500 KB/s), so that the progress can be seen: on a quiet machine the 8 PDFs
    // arrive in a fraction of a second and the progress was gone before the test looked
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: 500 * 1024, uploadThroughput: -1 });
    const [zip] = await Promise.all([
      page.waitForEvent('download', { timeout: 120_000 }),
      (async () => {
        await page.getByTestId('export-zip').click();
        const progress = page.getByTestId('export-zip-progress');
        await progress.waitFor();
        await progress.getByText(`/ ${COUNT} 份申报书`).waitFor({ timeout: 60_000 });
        await shot(page, 'zip-progress');
      })(),
    ]);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    expect(zip.suggestedFilename()).toBe('2023年学会公共服务能力提升项目-申报书PDF-20230512.zip');
    const files = Object.keys((await JSZip.loadAsync(readFileSync((await zip.path())!))).files);
    expect(files).toHaveLength(COUNT);
    expect(files[0]).toBe('2023-BZ-0001-中国工业智能检测学会.pdf');
    await page.getByText('已下载：2023年学会公共服务能力提升项目-申报书PDF-20230512.zip').waitFor();
    expect(await page.getByTestId('export-zip-progress').count()).toBe(0);
    await shot(page, 'zip-saved');
  });
});
