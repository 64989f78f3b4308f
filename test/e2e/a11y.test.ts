import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openSection, type Shot } from './support/editor';
import { createViaApi, csrfToken, loadFixture, registerViaApi, screenshots, useE2E } from './support/server';

/**
 * Accessibility (axe-core) of the main pages: the call page, register, login, dashboard, the
 * editor (封面, the 八 and 九 tables, 自查, read-only) and the submitted page. No
 * violation of impact serious or critical is allowed; minor/moderate ones are listed in the
 * output to be looked at.
 */
const fx = loadFixture('standards-and-tracking');

const e2e = useE2E('2023-05-12T10:00:00+08:00');

interface Finding {
  page: string;
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

async function audit(page: Page, name: string, found: Finding[], shot: Shot) {
  await shot(page, name);
  // WCAG 2.1 A/AA rules (axe's best-practice set is left out: it gates nothing here and
  // doubles the time on the large editor pages)
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  for (const v of r.violations)
    found.push({ page: name, id: v.id, impact: v.impact ?? 'unknown', help: v.help, nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1, 2).join('')}`) });
}

function report(found: Finding[]) {
  const serious = found.filter((f) => f.impact === 'serious' || f.impact === 'critical');
  const minor = found.filter((f) => !serious.includes(f));
  if (minor.length) console.info('axe (minor/moderate, not failing):\n' + minor.map((f) => `  [${f.impact}] ${f.page}: ${f.id} — ${f.help}`).join('\n'));
  return serious.map((f) => `[${f.impact}] ${f.page}: ${f.id} — ${f.help}\n    ${f.nodes.join('\n    ')}`);
}

describe('accessibility (axe-core): no serious or critical violation', () => {
  it('public pages: call, register, login', async () => {
    const shot = screenshots('a11y-public');
    const ctx = await e2e.context();
    const page = await ctx.newPage();
    const found: Finding[] = [];
    await page.goto('/');
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await audit(page, 'call', found, shot);
    await page.goto('/register');
    await page.getByTestId('register-submit').waitFor();
    await audit(page, 'register', found, shot);
    // the register form with its messages shown
    await page.getByTestId('register-uscc').fill('51100000500007217X');
    await page.getByTestId('register-submit').click();
    await page.locator('.ant-form-item-explain-error').first().waitFor();
    await audit(page, 'register-errors', found, shot);
    await page.goto('/login');
    await page.getByTestId('login-submit').waitFor();
    await audit(page, 'login', found, shot);
    expect(report(found)).toEqual([]);
  });

  it('signed in: dashboard, editor sections, submitted page', async () => {
    const shot = screenshots('a11y-applicant');
    const ctx = await e2e.context();
    const page = await ctx.newPage();
    const found: Finding[] = [];
    await page.goto('/');
    await registerViaApi(page, fx.organisation);
    // one draft with a few mistakes (messages at fields), one submitted
    const broken = structuredClone(fx.application);
    broken.cover.mobile = '1380000';
    broken.team[1].age = 12;
    broken.budget.items[0].basis = '';
    const draftId = await createViaApi(page, { ...broken, subProgrammes: ['standards'], trackingTrack: null });
    const submittedId = await createViaApi(page, { ...fx.application, subProgrammes: ['tracking'], trackingTrack: 'standards', budget: { ...fx.application.budget } });
    const token = await csrfToken(page);
    const sub = await page.request.post(`/api/applications/${submittedId}/submit`, { headers: { 'x-csrf-token': token } });
    expect(sub.status(), await sub.text()).toBe(200);

    await page.goto('/dashboard');
    await page.getByTestId('applications-table').locator('tbody tr').nth(1).waitFor();
    await audit(page, 'dashboard', found, shot);

    await page.goto(`/applications/${draftId}`);
    await page.getByTestId('editor').waitFor();
    for (const key of ['cover', 's8', 's9', 'check']) {
      await openSection(page, key);
      if (key === 'check') await page.getByTestId('self-check').waitFor();
      await audit(page, `editor-${key}`, found, shot);
    }

    await page.goto(`/applications/${submittedId}/submitted`);
    await page.getByTestId('submitted-page').waitFor();
    await audit(page, 'submitted', found, shot);
    await page.goto(`/applications/${submittedId}`);
    await page.getByTestId('readonly-notice').waitFor();
    await audit(page, 'editor-readonly', found, shot);
    expect(report(found)).toEqual([]);
  });
});
