import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '../../src/server/features/auth/auth.service';
import { createTestApp, TEST_DB, type TestApp } from '../support/app';
import { TestClient } from '../support/client';
import { createApplication, fixture, loadFixtures, PASSWORD, registerFixtureOrg, registerOrg } from '../support/fixtures';

/**
 * GET /api/applications?organisation=… finds a 申报单位 among many: a part of its name (ASCII
 * letters in either case, nothing else folded; `%`, `_` and `\` literal) or the beginning of its
 * 统一社会信用代码 as typed. The same answers on SQLite and PostgreSQL; combined with the other
 * filters; at most 100 characters; an applicant's list stays its own whatever is typed.
 */
describe(`the list of applications filtered by 申报单位 (${TEST_DB})`, () => {
  let t: TestApp;
  let funder: TestClient;
  /** the applicant of the awards fixture (中国旱区农业工程学会) */
  let applicant: TestClient;
  const fixtures = Object.fromEntries(loadFixtures().map((f) => [f.name, f]));
  /** organisation name → its submitted application's id */
  const submitted: Record<string, string> = {};
  const orgIds: Record<string, string> = {};
  let applicantDraft = '';

  // names whose wildcard-like characters must match only themselves, each with a decoy that an
  // unescaped pattern would also match
  const PERCENT = '中国标准化100%研究会';
  const PERCENT_DECOY = '中国标准化100X研究会';
  const UNDERSCORE = '中国信息_技术学会';
  const UNDERSCORE_DECOY = '中国信息X技术学会';
  const BACKSLASH = '中国路径\\分隔学会';
  const BACKSLASH_DECOY = '中国路径分隔学会';
  const LATIN = '中国IEEE Computer学会';
  const UMLAUT = '中国Äther研究会';
  const DRAFT_ONLY = '中国旱区草稿学会';

  beforeAll(async () => {
    t = await createTestApp();
    funder = new TestClient(t.app);
    for (const name of ['awards', 'evaluation-with-partner', 'standards-and-tracking']) {
      const f = fixtures[name];
      const c = new TestClient(t.app);
      orgIds[f.organisation.name] = (await registerFixtureOrg(c, f)).organisation.id;
      const id = (await createApplication(c, fixture(name).application)).id;
      expect((await c.post(`/api/applications/${id}/submit`)).status).toBe(200);
      submitted[f.organisation.name] = id;
      if (name === 'awards') {
        applicant = c;
        applicantDraft = (await createApplication(c, { subProgrammes: ['standards'] })).id;
      }
    }
    for (const name of [PERCENT, PERCENT_DECOY, UNDERSCORE, UNDERSCORE_DECOY, BACKSLASH, BACKSLASH_DECOY, LATIN, UMLAUT]) {
      const c = new TestClient(t.app);
      orgIds[name] = (await registerOrg(c, { name })).user.organisation.id;
      const id = (await createApplication(c, fixture('awards').application)).id;
      const s = await c.post(`/api/applications/${id}/submit`);
      expect(s.status, JSON.stringify(s.body)).toBe(200);
      submitted[name] = id;
    }
    // a draft is the organisation's own work: no filter shows it to staff
    const d = new TestClient(t.app);
    await registerOrg(d, { name: DRAFT_ONLY });
    await createApplication(d, fixture('awards').application);
    await createStaff(t.ctx, { name: '筛选测试管理员', email: 'filter-admin@example.cn', mobile: '13800007777', password: PASSWORD });
    expect((await funder.post('/api/auth/login', { login: 'filter-admin@example.cn', password: PASSWORD })).status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const q = (term: string, more = '') => `/api/applications?organisation=${encodeURIComponent(term)}${more}`;
  /** The organisation names a list answer names, sorted. */
  async function names(client: TestClient, url: string): Promise<string[]> {
    const r = await client.get(url);
    expect(r.status, `${url}: ${JSON.stringify(r.body)}`).toBe(200);
    return (r.body as { organisationName: string }[]).map((x) => x.organisationName).sort();
  }
  const sorted = (...xs: string[]) => [...xs].sort();
  const AWARDS = () => fixtures['awards'].organisation;
  const EVALUATION = () => fixtures['evaluation-with-partner'].organisation;
  const STANDARDS = () => fixtures['standards-and-tracking'].organisation;

  it('a part of a Chinese name finds that organisation’s submitted applications (never a draft)', async () => {
    expect(await names(funder, q('旱区农业'))).toEqual([AWARDS().name]);
    // 中国旱区草稿学会 has a draft only
    expect(await names(funder, q('旱区'))).toEqual([AWARDS().name]);
    expect(await names(funder, q('产业技术评价研究会'))).toEqual([EVALUATION().name]);
    expect(await names(funder, q(STANDARDS().name))).toEqual([STANDARDS().name]);
    // the line is the one the unfiltered list has
    const all = (await funder.get('/api/applications')).body as { id: string }[];
    const one = (await funder.get(q('旱区农业'))).body as { id: string }[];
    expect(one).toEqual(all.filter((r) => r.id === submitted[AWARDS().name]));
    expect(await names(funder, q('研究会'))).toEqual(sorted(EVALUATION().name, PERCENT, PERCENT_DECOY, UMLAUT));
    expect(await names(funder, q('不存在的学会'))).toEqual([]);
  });

  it('% _ and \\ match only themselves', async () => {
    expect(await names(funder, q('%'))).toEqual([PERCENT]);
    expect(await names(funder, q('100%'))).toEqual([PERCENT]);
    expect(await names(funder, q('%%'))).toEqual([]);
    expect(await names(funder, q('_'))).toEqual([UNDERSCORE]);
    expect(await names(funder, q('信息_技术'))).toEqual([UNDERSCORE]);
    expect(await names(funder, q('\\'))).toEqual([BACKSLASH]);
    expect(await names(funder, q('路径\\分隔'))).toEqual([BACKSLASH]);
    expect(await names(funder, q('\\%'))).toEqual([]);
    expect(await names(funder, q('\\\\'))).toEqual([]);
    // without them, the decoys are found as usual
    expect(await names(funder, q('100'))).toEqual(sorted(PERCENT, PERCENT_DECOY));
    expect(await names(funder, q('路径'))).toEqual(sorted(BACKSLASH, BACKSLASH_DECOY));
  });

  it('ASCII letters match in either case; no other letter is folded, on either database', async () => {
    for (const term of ['computer', 'COMPUTER', 'ieee comp', 'Ieee Computer学会']) expect(await names(funder, q(term)), term).toEqual([LATIN]);
    expect(await names(funder, q('Äther'))).toEqual([UMLAUT]);
    expect(await names(funder, q('ÄTHER'))).toEqual([UMLAUT]);
    expect(await names(funder, q('äther'))).toEqual([]);
  });

  it('the beginning of a 统一社会信用代码 finds its organisation, typed as people type codes', async () => {
    expect(await names(funder, q(AWARDS().uscc))).toEqual([AWARDS().name]);
    expect(await names(funder, q(AWARDS().uscc.toLowerCase()))).toEqual([AWARDS().name]);
    expect(await names(funder, q('5110 0000 5000 2468'))).toEqual([EVALUATION().name]);
    // full-width digits, as a Chinese input method may type them
    expect(await names(funder, q('５１１０００００５００００７２１７'))).toEqual([STANDARDS().name]);
    expect(await names(funder, q('511000005000'))).toEqual(sorted(AWARDS().name, EVALUATION().name, STANDARDS().name));
    // the middle of a code is not its beginning
    expect(await names(funder, q('50001234'))).toEqual([]);
    expect(await names(funder, q(AWARDS().uscc + '0'))).toEqual([]);
  });

  it('combines with the other filters', async () => {
    const awards = AWARDS().name;
    expect(await names(funder, q('旱区', '&status=submitted'))).toEqual([awards]);
    expect(await names(funder, q('旱区', '&status=draft'))).toEqual([]);
    expect(await names(funder, q('旱区', '&callCode=2023-xhgf'))).toEqual([awards]);
    expect(await names(funder, q('旱区', '&callCode=2024-none'))).toEqual([]);
    expect(await names(funder, q('旱区', `&organisationId=${orgIds[awards]}`))).toEqual([awards]);
    expect(await names(funder, q('旱区', `&organisationId=${orgIds[EVALUATION().name]}`))).toEqual([]);
    // an empty or blank filter is no filter
    const all = await names(funder, '/api/applications');
    expect(all).toHaveLength(11);
    expect(await names(funder, q(''))).toEqual(all);
    expect(await names(funder, q('   '))).toEqual(all);
    // surrounding spaces are not part of the name
    expect(await names(funder, q('  旱区农业 '))).toEqual([awards]);
  });

  it('refuses a filter over 100 characters with a Chinese message naming the field', async () => {
    expect(await names(funder, q('学'.repeat(100)))).toEqual([]);
    for (const term of ['x'.repeat(101), '学'.repeat(101)]) {
      const r = await funder.get(q(term));
      expect(r.status).toBe(400);
      expect(r.body.code).toBe('invalid');
      expect(r.body.message).toContain('申报单位（名称或统一社会信用代码）最多 100 个字符');
      expect(r.body.problems).toEqual([{ path: 'organisation', message: '申报单位（名称或统一社会信用代码）最多 100 个字符' }]);
    }
    // U+0000 (PostgreSQL text cannot hold it) is refused for every address (input-guards.ts)
    const nul = await funder.get(q('旱区\u0000'));
    expect(nul.status).toBe(400);
  });

  it('an applicant only ever narrows its own list: other organisations’ names and codes find nothing', async () => {
    const own = AWARDS().name;
    const ownIds = [submitted[own], applicantDraft].sort();
    const ids = async (url: string) => {
      const r = await applicant.get(url);
      expect(r.status, url).toBe(200);
      for (const other of [EVALUATION(), STANDARDS()]) expect(JSON.stringify(r.body)).not.toContain(other.name);
      return (r.body as { id: string }[]).map((x) => x.id).sort();
    };
    expect(await ids(q('产业技术评价'))).toEqual([]);
    expect(await ids(q(EVALUATION().uscc))).toEqual([]);
    expect(await ids(q('%'))).toEqual([]);
    expect(await ids(q('中国'))).toEqual(ownIds);
    expect(await ids(q(AWARDS().uscc))).toEqual(ownIds);
    expect(await ids(q('旱区', '&status=draft'))).toEqual([applicantDraft]);
    expect((await applicant.get(q('中国', `&organisationId=${orgIds[EVALUATION().name]}`))).status).toBe(403);
  });
});
