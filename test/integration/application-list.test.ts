import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listApplications } from '../../src/server/features/applications/applications.service';
import { createStaff } from '../../src/server/features/auth/auth.service';
import type { Actor } from '../../src/server/http/context';
import { createTestApp, TEST_DB, type TestApp } from '../support/app';
import { TestClient } from '../support/client';
import { countUnfilledWhenOpened, sectionsWithSavedContent, type FormIssue, type TApplicationData } from '../../src/domain';
import { heldBackAsUnfilled } from '../../src/web/features/application-editor/issue-visibility';
import { halfFilledDraft } from '../support/domain-fixtures';
import { createApplication, fixture, PASSWORD, registerOrg } from '../support/fixtures';

/**
 * GET /api/applications names each application's 申报单位 (organisationName): funder admins
 * see every organisation's submitted applications, each under its own organisation's name;
 * an applicant sees only its own organisation's, and so only its own name.
 */
describe(`the list of applications names the 申报单位 (${TEST_DB})`, () => {
  const NAME_A = '中国甲列表测试学会';
  const NAME_B = '中国乙列表测试研究会';
  let t: TestApp;
  let a: TestClient;
  let b: TestClient;
  let funder: TestClient;
  let orgB: string;
  const ids = { aSubmitted: '', aDraft: '', bSubmitted: '' };

  beforeAll(async () => {
    t = await createTestApp();
    a = new TestClient(t.app);
    b = new TestClient(t.app);
    funder = new TestClient(t.app);
    await registerOrg(a, { name: NAME_A });
    orgB = (await registerOrg(b, { name: NAME_B })).user.organisation.id;
    ids.aSubmitted = (await createApplication(a, fixture('awards').application)).id;
    expect((await a.post(`/api/applications/${ids.aSubmitted}/submit`)).status).toBe(200);
    ids.aDraft = (await createApplication(a, { subProgrammes: ['standards'] })).id;
    ids.bSubmitted = (await createApplication(b, fixture('evaluation-with-partner').application)).id;
    expect((await b.post(`/api/applications/${ids.bSubmitted}/submit`)).status).toBe(200);
    await createStaff(t.ctx, { name: '列表测试管理员', email: 'list-admin@example.cn', mobile: '13800006666', password: PASSWORD });
    expect((await funder.post('/api/auth/login', { login: 'list-admin@example.cn', password: PASSWORD })).status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  const byId = (rows: { id: string; organisationName: string }[]) => Object.fromEntries(rows.map((r) => [r.id, r.organisationName]));

  it('a funder admin sees each submitted application under its own organisation’s name, drafts not at all', async () => {
    const r = await funder.get('/api/applications');
    expect(r.status).toBe(200);
    expect(byId(r.body)).toEqual({ [ids.aSubmitted]: NAME_A, [ids.bSubmitted]: NAME_B });
    const onlyB = await funder.get(`/api/applications?organisationId=${orgB}`);
    expect(byId(onlyB.body)).toEqual({ [ids.bSubmitted]: NAME_B });
    // the application itself says it too (the funder's read-only view)
    expect((await funder.get(`/api/applications/${ids.bSubmitted}`)).body.organisationName).toBe(NAME_B);
  });

  it('an applicant sees its own organisation’s applications and name only', async () => {
    const r = await a.get('/api/applications');
    expect(r.status).toBe(200);
    expect(byId(r.body)).toEqual({ [ids.aSubmitted]: NAME_A, [ids.aDraft]: NAME_A });
    expect(JSON.stringify(r.body)).not.toContain(NAME_B);
    expect(byId((await b.get('/api/applications')).body)).toEqual({ [ids.bSubmitted]: NAME_B });
    expect((await a.get(`/api/applications?organisationId=${orgB}`)).status).toBe(403);
  });

  it('each line counts its errors, and of them the required values still empty (未填写)', async () => {
    // a bad mobile number is an error of its own; the rest of the nearly empty draft is unfilled
    const c = await a.put(`/api/applications/${ids.aDraft}`, { version: 1, data: { subProgrammes: ['standards'], cover: { mobile: '12345' } } });
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    const rows = (await a.get('/api/applications')).body as { id: string; errorCount: number; unfilledCount: number }[];
    const draft = rows.find((r) => r.id === ids.aDraft)!;
    const full = (await a.get(`/api/applications/${ids.aDraft}`)).body as { issues: { level: string; code: string; path: string }[] };
    const errors = full.issues.filter((i) => i.level === 'error');
    expect(draft.errorCount).toBe(errors.length);
    expect(draft.unfilledCount).toBe(errors.filter((i) => i.code === 'required' || i.code === 'eligibility.not_declared' || i.code === 'endorsement.required').length);
    expect(draft.unfilledCount).toBeGreaterThan(10);
    expect(errors.some((i) => i.path === 'cover.mobile' && i.code !== 'required')).toBe(true);
    expect(draft.errorCount).toBeGreaterThan(draft.unfilledCount);
    const submitted = rows.find((r) => r.id === ids.aSubmitted)!;
    expect({ errorCount: submitted.errorCount, unfilledCount: submitted.unfilledCount }).toEqual({ errorCount: 0, unfilledCount: 0 });
  });

  it('a half-filled draft: unfilledCount is what the editor shows as 未填写 when it opens the draft, not every empty required value', async () => {
    const c = new TestClient(t.app);
    await registerOrg(c, { name: '中国丙列表测试学会' });
    const id = (await createApplication(c, halfFilledDraft())).id;
    const line = ((await c.get('/api/applications')).body as { id: string; errorCount: number; unfilledCount: number }[]).find((r) => r.id === id)!;
    // what the editor gets when it opens the draft, and its rule before the person does anything
    const opened = (await c.get(`/api/applications/${id}`)).body as { data: TApplicationData; issues: FormIssue[] };
    const visibility = { showAll: false, touched: new Set<string>(), workedSections: sectionsWithSavedContent(opened.data) };
    const errors = opened.issues.filter((i) => i.level === 'error');
    const held = errors.filter((i) => heldBackAsUnfilled(i, visibility));
    expect({ errorCount: line.errorCount, unfilledCount: line.unfilledCount }).toEqual({ errorCount: errors.length, unfilledCount: held.length });
    expect(line.unfilledCount).toBe(countUnfilledWhenOpened(opened.data, opened.issues));
    // red on both screens: the empty required fields of 封面, 八 and 九, which hold values the person entered
    expect(errors.filter((i) => !held.includes(i)).map((i) => `${i.path} ${i.code}`).sort()).toEqual([
      'budget.items required',
      'cover.address required',
      'cover.applicationDate required',
      'team[0].role required',
      'team[0].title required',
      'team[0].unit required',
    ]);
    expect(held.length).toBeGreaterThan(20);
  });

  it('reads the organisations in the applications’ query and the calls in one more, not line by line', async () => {
    let queries = 0;
    const counting: KyselyPlugin = {
      transformQuery: (args) => {
        queries++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    // a database handle of its own: the per-process cache of calls is cold for it
    const ctx = { ...t.ctx, db: t.ctx.db.withPlugin(counting) };
    const staff: Actor = { userId: 'list-test', role: 'funder_admin', organisationId: null };
    const lines = await listApplications(ctx, staff, {});
    expect(queries).toBe(2);
    expect(lines.map((l) => [l.id, l.organisationName]).sort()).toEqual([
      [ids.aSubmitted, NAME_A],
      [ids.bSubmitted, NAME_B],
    ].sort());
    // the same lines as through HTTP
    expect((await funder.get('/api/applications')).body).toEqual(lines);
  });
});
