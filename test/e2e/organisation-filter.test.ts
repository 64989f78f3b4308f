import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { makeUscc } from '../support/fixtures';
import { createViaApi, csrfToken, loadFixture, registerViaApi, screenshots, useE2E, type AppFixture } from './support/server';

/**
 * The funder admin's list of submitted applications, searched by 申报单位 (a part of the name
 * or the beginning of the 统一社会信用代码) in the search box: the rows narrow to that
 * organisation's, the filter stays in the address across a reload, a filter combines with
 * the pages of 50, nothing found says so, and clearing the box shows every line again.
 */
const e2e = useE2E('2023-05-12T10:00:00+08:00');
const FUNDER = { login: 'funder@example.cn', password: 'shenbao-funder-2023' };
const awards = loadFixture('awards');
const evaluation = loadFixture('evaluation-with-partner');
const standards = loadFixture('standards-and-tracking');
/** 26 societies with two applications each: more than a page of 50 that one filter finds */
const PAGED = 26;

async function post(page: Page, url: string, data?: unknown) {
  const r = await page.request.post(url, { headers: { 'x-csrf-token': await csrfToken(page) }, data });
  if (!r.ok()) throw new Error(`${url}: ${r.status()} ${await r.text()}`);
}

/** Register an organisation and submit each of `apps` in its name; the ids. */
async function submitAs(page: Page, org: AppFixture['organisation'], apps: unknown[]): Promise<string[]> {
  await page.context().clearCookies();
  await registerViaApi(page, org);
  const ids: string[] = [];
  for (const data of apps) {
    const id = await createViaApi(page, data);
    await post(page, `/api/applications/${id}/submit`);
    ids.push(id);
  }
  return ids;
}

function society(name: string, n: number): AppFixture['organisation'] {
  return { name, uscc: makeUscc(9000 + n), type: 'national-society', adminName: '测试管理员', adminEmail: `filter-${n}@example.cn`, adminMobile: '13800001234' };
}

const rows = (page: Page) => page.getByTestId('applications-table').locator('tbody tr[data-row-key]');
const organisations = async (page: Page) => [...new Set(await page.getByTestId('applications-table').locator('[data-testid^="organisation-"]').allTextContents())].sort();
const box = (page: Page) => page.getByPlaceholder('输入申报单位名称或统一社会信用代码');

/** Type into the search box and press Enter; wait until the list answers that filter. */
async function search(page: Page, text: string) {
  await box(page).fill(text);
  await box(page).press('Enter');
  await page.waitForURL((u) => (u.searchParams.get('organisation') ?? '') === text);
  await page.getByTestId('organisation-search-result').filter({ hasText: `按“${text}”找到` }).waitFor();
}

describe('funder admin: the list searched by 申报单位', () => {
  it('types a name or a code into the search box and sees only that organisation’s rows; reload keeps the filter; pages of 50 still apply', async () => {
    const shot = screenshots('organisation-filter');
    const ctx = await e2e.context();
    const page = await ctx.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto('/');
    const ids = {
      awards: await submitAs(page, awards.organisation, [awards.application]),
      evaluation: await submitAs(page, evaluation.organisation, [evaluation.application]),
      standards: await submitAs(page, standards.organisation, [standards.application]),
      percent: await submitAs(page, society('中国标准化100%研究会', 1), [awards.application]),
      decoy: await submitAs(page, society('中国标准化100X研究会', 2), [awards.application]),
    };
    for (let i = 1; i <= PAGED; i++) await submitAs(page, society(`中国分页测试学会${String(i).padStart(2, '0')}`, 100 + i), [awards.application, evaluation.application]);
    const total = 5 + 2 * PAGED;

    await page.context().clearCookies();
    await page.goto('/login');
    await post(page, '/api/auth/login', FUNDER);
    await page.goto('/dashboard');
    await rows(page).first().waitFor();
    expect(await rows(page).count()).toBe(50);
    expect(await page.getByTestId('dashboard').locator('.ant-pagination').textContent()).toContain(`共 ${total} 份`);
    // the limit is shown beside the box, and the box holds no more
    expect(await page.getByTestId('dashboard').textContent()).toContain('最多 100 个字符');
    expect(await box(page).getAttribute('maxlength')).toBe('100');
    expect(await page.getByTestId('dashboard').locator('.ant-input-show-count-suffix').textContent()).toBe('0 / 100');

    await page.getByTestId('dashboard').locator('.ant-pagination-item-2').click();
    await expect.poll(() => rows(page).count()).toBe(total - 50);

    // a filter that finds more than 50, typed on page 2: its first page of 50
    await search(page, '分页测试');
    expect(await page.getByTestId('dashboard').locator('.ant-pagination-item-active').textContent()).toBe('1');
    expect(await rows(page).count()).toBe(50);
    expect(await page.getByTestId('dashboard').locator('.ant-pagination').textContent()).toContain(`共 ${2 * PAGED} 份`);
    await page.getByTestId('dashboard').locator('.ant-pagination-item-2').click();
    await expect.poll(() => rows(page).count()).toBe(2 * PAGED - 50);
    expect((await organisations(page)).every((n) => n.startsWith('中国分页测试学会'))).toBe(true);

    // a part of a Chinese name (the awards fixture's 中国旱区农业工程学会)
    await search(page, '旱区农业');
    expect(await rows(page).count()).toBe(1);
    expect(await page.getByTestId(`organisation-${ids.awards[0]}`).textContent()).toBe(awards.organisation.name);
    expect(await page.getByTestId('organisation-search-result').textContent()).toBe('按“旱区农业”找到 1 份申报书');
    expect(await page.getByTestId('dashboard').locator('.ant-pagination').count()).toBe(0);
    expect(new URL(page.url()).searchParams.get('organisation')).toBe('旱区农业');
    await page.waitForTimeout(500); // the table fades in
    await shot(page, 'filtered-by-name');

    // a reload keeps the filter: in the address, the box and the rows
    await page.reload();
    await rows(page).first().waitFor();
    expect(await box(page).inputValue()).toBe('旱区农业');
    expect(await organisations(page)).toEqual([awards.organisation.name]);

    // % is a character of a name, not a wildcard
    await search(page, '100%');
    expect(await organisations(page)).toEqual(['中国标准化100%研究会']);

    // the beginning of a 统一社会信用代码, in lower case
    await search(page, evaluation.organisation.uscc.slice(0, 14).toLowerCase());
    expect(await organisations(page)).toEqual([evaluation.organisation.name]);

    // nothing found says so
    await search(page, '没有这个学会');
    expect(await rows(page).count()).toBe(0);
    await page.getByTestId('no-matching-applications').waitFor();
    expect(await page.getByTestId('applications-table').textContent()).toContain('没有符合条件的申报书');
    await shot(page, 'nothing-found', true);

    // clearing the box shows every line again and takes the filter out of the address
    await page.getByTestId('dashboard').locator('.ant-input-clear-icon').click();
    await page.waitForURL((u) => !u.searchParams.has('organisation'));
    await rows(page).first().waitFor();
    expect(await rows(page).count()).toBe(50);
    expect(await page.getByTestId('dashboard').locator('.ant-pagination').textContent()).toContain(`共 ${total} 份`);
    expect(await page.getByTestId('organisation-search-result').count()).toBe(0);
  });

  it('an applicant has no search box, and a filter in the address changes nothing of its list', async () => {
    const ctx = await e2e.context();
    const page = await ctx.newPage();
    await page.goto('/login');
    await post(page, '/api/auth/login', { login: awards.organisation.adminEmail, password: 'e2e-correct-horse-battery' });
    await page.goto(`/dashboard?organisation=${encodeURIComponent(evaluation.organisation.name)}`);
    await rows(page).first().waitFor();
    expect(await rows(page).count()).toBe(1);
    expect(await box(page).count()).toBe(0);
    expect(await page.getByTestId('dashboard').textContent()).not.toContain(evaluation.organisation.name);
  });
});
