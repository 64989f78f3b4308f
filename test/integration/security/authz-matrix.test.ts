import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createStaff } from '../../../src/server/features/auth/auth.service';
import { TEST_DB, type TestApp } from '../../support/app';
import { TestClient, type TestResponse } from '../../support/client';
import { createApplication, fixture, PASSWORD, registerOrg } from '../../support/fixtures';
import { createRecordedApp, snapshotOf, type CollectedRoute } from './support';
import { multipart, PDF, PNG } from '../../support/uploads';

/**
 * The authorisation matrix (issue: "a test that walks every API route as every role …").
 * The route table comes from the Fastify instance itself (an onRoute hook registered before
 * any route), so a new route that is neither public by design (PUBLIC) nor in MATRIX fails
 * the first test until someone decides who may call it.
 */

const CALL = '2023-xhgf';

type Role = 'anonymous' | 'otherOrg' | 'funder' | 'owner';

/**
 * What a role must get:
 * - unauthenticated: 401 (and, for POST/PUT/PATCH/DELETE without the CSRF token, 403 csrf first)
 * - denied: 403 or 404, and nothing of organisation B in the answer
 * - allowed: authorisation passed (not 401/403/404, never 5xx); state rules may still say 409/422
 * - status: an exact status, with the reason
 * - skip: the role has nothing of B's to aim at on this route, with the reason
 */
type Outcome = 'unauthenticated' | 'denied' | 'allowed' | { status: number[]; why: string } | { skip: string };

/** An object of organisation B that the path parameters point at. */
interface Target {
  name: string;
  id: string;
  attachmentId: string;
  version: number;
}

interface Req {
  payload?: unknown;
  upload?: { fileName: string; content: Buffer };
  query?: string;
}

/** An outcome that depends on which of B's objects is aimed at (funder admins see no drafts). */
type TargetOutcome = Outcome | ((t: Target) => Outcome);
const resolve = (o: TargetOutcome, t: Target): Outcome => (typeof o === 'function' ? o(t) : o);

interface RouteSpec {
  roles: Record<Role, TargetOutcome>;
  request?: (role: Role, target: Target) => Req;
}

/** Public by design: anyone may call these (they reveal nothing of an organisation). */
const PUBLIC = new Set([
  'GET /api/session',
  'GET /api/calls',
  'GET /api/calls/:code',
  'GET /api/openapi.json',
  'GET /api/health',
  'POST /api/auth/login',
  'POST /api/auth/register',
  'POST /api/auth/logout',
]);

// Funder staff read what was submitted to them, never an organisation's unsubmitted draft.
const READ_B: Record<Role, TargetOutcome> = {
  anonymous: 'unauthenticated',
  otherOrg: 'denied',
  funder: (t) => (t.name === 'draft' ? 'denied' : 'allowed'),
  owner: 'allowed',
};
const WRITE_B: Record<Role, Outcome> = { anonymous: 'unauthenticated', otherOrg: 'denied', funder: 'denied', owner: 'allowed' };
// A call's exports hold every organisation's submitted applications: funder staff only.
const EXPORT: Record<Role, Outcome> = {
  anonymous: 'unauthenticated',
  otherOrg: 'denied',
  funder: 'allowed',
  owner: { status: [403], why: 'staff only: an applicant is refused even though its own submitted application is in the export' },
};

let orgB = '';

const MATRIX: Record<string, RouteSpec> = {
  'GET /api/applications': {
    roles: { anonymous: 'unauthenticated', otherOrg: 'denied', funder: 'allowed', owner: 'allowed' },
    // another organisation asks for B's list by filter
    request: (role) => (role === 'otherOrg' ? { query: `?organisationId=${orgB}` } : {}),
  },
  'POST /api/applications': {
    roles: {
      anonymous: 'unauthenticated',
      otherOrg: { status: [400], why: 'the strict body refuses organisationId: nobody creates an application in B’s name' },
      funder: 'denied',
      owner: 'allowed',
    },
    request: (role) => ({ payload: { callCode: CALL, data: { subProgrammes: ['standards'] }, ...(role === 'otherOrg' ? { organisationId: orgB } : {}) } }),
  },
  'POST /api/auth/password': {
    roles: {
      anonymous: 'unauthenticated',
      otherOrg: { skip: 'acts only on the caller’s own account: no object of B can be named' },
      funder: { skip: 'acts only on the caller’s own account: no object of B can be named' },
      owner: 'allowed',
    },
    request: () => ({ payload: { currentPassword: PASSWORD, newPassword: PASSWORD } }),
  },
  'GET /api/applications/:id': { roles: READ_B },
  'PUT /api/applications/:id': {
    roles: WRITE_B,
    request: (_role, t) => ({ payload: { version: t.version, data: { subProgrammes: t.name === 'draft' ? ['awards'] : ['evaluation'], projectName: '被篡改的项目名称' } } }),
  },
  'POST /api/applications/:id/submit': { roles: WRITE_B },
  'POST /api/applications/:id/withdraw': { roles: WRITE_B },
  'GET /api/applications/:id/attachments': { roles: READ_B },
  'POST /api/applications/:id/attachments': { roles: WRITE_B, request: () => ({ upload: { fileName: 'planted.png', content: PNG } }) },
  'GET /api/applications/:id/attachments/:attachmentId': { roles: READ_B },
  'DELETE /api/applications/:id/attachments/:attachmentId': { roles: WRITE_B },
  'GET /api/applications/:id/pdf': { roles: READ_B },
  'GET /api/applications/:id/docx': { roles: READ_B },
  'GET /api/calls/:callCode/exports/applications.xlsx': { roles: EXPORT },
  'GET /api/calls/:callCode/exports/documents.zip': { roles: EXPORT },
};

/** How each path parameter is filled: always with organisation B's objects. */
const PARAMS: Record<string, (t: Target) => string> = {
  id: (t) => t.id,
  attachmentId: (t) => t.attachmentId,
  // the call B applied to: its export is what is aimed at
  callCode: () => CALL,
};

const key = (r: CollectedRoute) => `${r.method} ${r.url}`;
const paramsOf = (url: string) => [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]);
const isStateChanging = (method: string) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method);

function fill(url: string, t: Target): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const f = PARAMS[name];
    if (!f) throw new Error(`no value for path parameter :${name} of ${url}: add it to PARAMS`);
    return encodeURIComponent(f(t));
  });
}

describe(`authorisation matrix: every API route × every role against organisation B (${TEST_DB})`, () => {
  let rec: { t: TestApp; app: FastifyInstance; routes: CollectedRoute[]; close(): Promise<void> };
  let clients: Record<Role, TestClient>;
  let targets: Target[];
  let crossTarget: Target;
  let secrets: string[];
  let bUserId: string;
  let before: Awaited<ReturnType<typeof stateOfB>>;

  async function stateOfB() {
    const out: Record<string, unknown> = {};
    for (const t of targets) {
      const view = await clients.owner.get(`/api/applications/${t.id}`);
      expect(view.status).toBe(200);
      const atts = (await clients.owner.get(`/api/applications/${t.id}/attachments`)).body as any[];
      const files = [];
      for (const a of atts) {
        const f = await clients.owner.get(`/api/applications/${t.id}/attachments/${a.id}`);
        files.push({ ...a, sha256: createHash('sha256').update(f.raw).digest('hex') });
      }
      out[t.name] = { app: snapshotOf(view.body), attachments: files };
    }
    const audit = await rec.t.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where((eb) => eb.or([eb('organisation_id', '=', orgB), eb('entity_id', 'in', [orgB, ...targets.map((t) => t.id)])]))
      .orderBy('id')
      .execute();
    return { objects: out, audit };
  }

  beforeAll(async () => {
    rec = await createRecordedApp();
    const app = rec.app;
    clients = { anonymous: new TestClient(app), otherOrg: new TestClient(app), funder: new TestClient(app), owner: new TestClient(app) };
    const regA = await registerOrg(clients.otherOrg, { name: '甲学会（其他单位）' });
    const regB = await registerOrg(clients.owner, { name: '乙学会机密单位名称' });
    orgB = regB.user.organisation.id;
    bUserId = regB.user.id;
    await createStaff(rec.t.ctx, { name: '资助方管理员', email: 'funder-matrix@example.cn', mobile: '13800009999', password: PASSWORD });
    expect((await clients.funder.post('/api/auth/login', { login: 'funder-matrix@example.cn', password: PASSWORD })).status).toBe(200);
    await clients.anonymous.refreshSession();

    const appA = await createApplication(clients.otherOrg, { subProgrammes: ['awards'] });
    const draft = await createApplication(clients.owner, fixture('awards').application);
    const submitted = await createApplication(clients.owner, fixture('evaluation-with-partner').application);
    const upload = async (id: string, name: string, content: Buffer) => {
      const r = await clients.owner.request('POST', `/api/applications/${id}/attachments`, undefined, multipart(name, content));
      expect(r.status).toBe(201);
      return r.body.id as string;
    };
    const attDraft = await upload(draft.id, 'b-secret-draft-attachment.png', PNG);
    const attSubmitted = await upload(submitted.id, 'b-secret-submitted-attachment.pdf', PDF);
    const s = await clients.owner.post(`/api/applications/${submitted.id}/submit`);
    expect(s.status, JSON.stringify(s.body)).toBe(200);
    const version = async (id: string) => (await clients.owner.get(`/api/applications/${id}`)).body.version as number;
    targets = [
      { name: 'draft', id: draft.id, attachmentId: attDraft, version: await version(draft.id) },
      { name: 'submitted', id: submitted.id, attachmentId: attSubmitted, version: await version(submitted.id) },
    ];
    // A's own application id with B's attachment id: the attachment must not be reachable through it
    crossTarget = { name: 'A’s application + B’s attachment', id: appA.id, attachmentId: attDraft, version: appA.version };
    secrets = [
      '乙学会机密单位名称',
      regB.uscc,
      regB.email,
      draft.data.projectName,
      submitted.data.projectName,
      draft.data.cover.contactName,
      'b-secret-draft-attachment',
      'b-secret-submitted-attachment',
    ];
    expect(regA.user.organisation.id).not.toBe(orgB);
    before = await stateOfB();
  });

  afterAll(async () => {
    await rec?.close();
  });

  async function send(role: Role, method: string, url: string, t: Target, opts: { csrf?: boolean } = {}): Promise<TestResponse> {
    const spec = MATRIX[`${method === 'HEAD' ? 'GET' : method} ${url}`];
    const req = spec.request?.(role, t) ?? {};
    const path = fill(url, t) + (req.query ?? '');
    const client = clients[role];
    if (method === 'HEAD') {
      // TestClient parses a JSON content type, and a HEAD answer has no body: inject directly
      const res = await rec.app.inject({ method: 'HEAD', url: path, headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
      return { status: res.statusCode, headers: res.headers, body: undefined, raw: res.rawPayload };
    }
    if (req.upload) return client.request(method, path, undefined, { ...multipart(req.upload.fileName, req.upload.content), csrf: opts.csrf });
    return client.request(method, path, req.payload, { csrf: opts.csrf });
  }

  function assertNoLeak(r: TestResponse, what: string) {
    const text = r.raw.toString('utf8') + JSON.stringify(r.headers);
    for (const s of secrets) expect(text.includes(s), `${what} reveals “${s}”`).toBe(false);
  }

  /** The routes of the matrix to run, with HEAD mirrors of GET routes, and the targets each applies to. */
  function cases(role: Role): { method: string; url: string; target: Target }[] {
    const out: { method: string; url: string; target: Target }[] = [];
    for (const r of rec.routes) {
      const k = `${r.method === 'HEAD' ? 'GET' : r.method} ${r.url}`;
      const spec = MATRIX[k];
      if (!spec) continue;
      const outcome = resolve(spec.roles[role], targets[0]);
      if (typeof outcome === 'object' && 'skip' in outcome) continue;
      // HEAD mirrors GET for every role: refused as GET is refused, and let through where GET
      // is (the download routes whose GET does heavy work then answer 405, http/head.ts)
      const params = paramsOf(r.url);
      const ts = params.length ? [...targets] : [targets[0]];
      if (role === 'otherOrg' && params.includes('attachmentId')) ts.push(crossTarget);
      for (const target of ts) out.push({ method: r.method, url: r.url, target });
    }
    return out;
  }

  it('every API route is either public by design or in the matrix, and the matrix names no missing route', () => {
    const keys = new Set(rec.routes.map(key));
    const api = rec.routes.filter((r) => r.url.startsWith('/api'));
    const uncovered = api.filter((r) => {
      const k = `${r.method === 'HEAD' ? 'GET' : r.method} ${r.url}`;
      return !PUBLIC.has(k) && !MATRIX[k];
    });
    expect(uncovered.map(key), 'routes neither public nor in the authorisation matrix').toEqual([]);
    const stale = [...PUBLIC, ...Object.keys(MATRIX)].filter((k) => !keys.has(k));
    expect(stale, 'matrix or allow-list entries without a route').toEqual([]);
    // whatever is not under /api is the web app's static files: read-only
    const nonApi = rec.routes.filter((r) => !r.url.startsWith('/api') && !['GET', 'HEAD'].includes(r.method));
    expect(nonApi.map(key)).toEqual([]);
    // every GET route of the matrix answers HEAD through a route of its own (Fastify's
    // automatic one or an explicit one), so that the cases below send HEAD to it too
    const getRoutes = Object.keys(MATRIX).filter((k) => k.startsWith('GET '));
    expect(getRoutes.filter((k) => !keys.has(k.replace(/^GET /, 'HEAD '))), 'GET routes without a HEAD route').toEqual([]);
    // every path parameter of a matrix route has a value from B's objects
    for (const r of api) {
      if (PUBLIC.has(`${r.method === 'HEAD' ? 'GET' : r.method} ${r.url}`)) continue;
      for (const p of paramsOf(r.url)) expect(Object.keys(PARAMS), `${key(r)}: fill :${p}`).toContain(p);
    }
    // the matrix is not trivially small: today's routes are all there
    expect(Object.keys(MATRIX).length).toBeGreaterThanOrEqual(13);
  });

  it('public routes answer anonymous callers without revealing organisation B', async () => {
    for (const r of rec.routes) {
      if (r.method !== 'GET' || !PUBLIC.has(key(r))) continue;
      const res = await clients.anonymous.get(r.url.replace(':code', CALL));
      expect(res.status, key(r)).toBe(200);
      assertNoLeak(res, key(r));
    }
  });

  it('anonymous: 403 csrf without the token; with a valid CSRF token still 401 on every non-public route', async () => {
    const seen: string[] = [];
    for (const c of cases('anonymous')) {
      const label = `anonymous ${c.method} ${c.url} [${c.target.name}]`;
      if (isStateChanging(c.method)) {
        const noToken = await send('anonymous', c.method, c.url, c.target, { csrf: false });
        expect(noToken.status, label + ' without CSRF token').toBe(403);
        expect(noToken.body.code, label).toBe('csrf');
      }
      const r = await send('anonymous', c.method, c.url, c.target);
      expect(r.status, `${label} → ${r.status} ${JSON.stringify(r.body)}`).toBe(401);
      if (c.method !== 'HEAD') expect(r.body.code, label).toBe('unauthenticated');
      assertNoLeak(r, label);
      seen.push(label);
    }
    expect(seen.length).toBeGreaterThan(20);
  });

  for (const role of ['otherOrg', 'funder'] as const) {
    it(`${role === 'otherOrg' ? 'organisation A’s administrator' : 'funder admin'}: refused as the matrix says on B’s objects`, async () => {
      let denied = 0;
      for (const c of cases(role)) {
        const outcome = resolve(MATRIX[`${c.method === 'HEAD' ? 'GET' : c.method} ${c.url}`].roles[role], c.target);
        const label = `${role} ${c.method} ${c.url} [${c.target.name}]`;
        const r = await send(role, c.method, c.url, c.target);
        const detail = `${label} → ${r.status} ${typeof r.body === 'object' ? JSON.stringify(r.body).slice(0, 300) : ''}`;
        expect(r.status, detail).toBeLessThan(500);
        if (outcome === 'denied') {
          expect([403, 404], detail).toContain(r.status);
          if (c.method !== 'HEAD') expect(['forbidden', 'not_found'], detail).toContain(r.body.code);
          if (role === 'otherOrg') assertNoLeak(r, label);
          denied++;
        } else if (outcome === 'allowed') {
          expect([401, 403, 404], detail).not.toContain(r.status);
        } else if (typeof outcome === 'object' && 'status' in outcome) {
          expect(outcome.status, `${detail} (${outcome.why})`).toContain(r.status);
          if (role === 'otherOrg') assertNoLeak(r, label);
        } else {
          throw new Error(`unexpected outcome ${JSON.stringify(outcome)} for ${label}`);
        }
      }
      expect(denied).toBeGreaterThan(role === 'otherOrg' ? 15 : 8);
    });
  }

  it('the list’s 申报单位 filter never widens an applicant’s list: B’s name, code or a wildcard find only A’s own', async () => {
    const own = ((await clients.otherOrg.get('/api/applications')).body as { id: string }[]).map((r) => r.id).sort();
    expect(own).toHaveLength(1);
    const bOrg = '乙学会机密单位名称';
    const uscc = secrets[1];
    const terms = [bOrg, '乙学会', uscc, uscc.slice(0, 10), uscc.toLowerCase(), '%', '_', '\\', '%乙%', '学会'];
    for (const term of terms) {
      const url = `/api/applications?organisation=${encodeURIComponent(term)}`;
      const r = await clients.otherOrg.get(url);
      expect(r.status, url).toBe(200);
      assertNoLeak(r, `otherOrg GET ${url}`);
      for (const line of r.body as { id: string }[]) expect(own, url).toContain(line.id);
      // naming B by id as well is refused, whatever the name filter says
      const both = await clients.otherOrg.get(`${url}&organisationId=${orgB}`);
      expect(both.status, url).toBe(403);
      assertNoLeak(both, `otherOrg GET ${url}&organisationId=B`);
    }
    // the same filter finds B for the funder admin: B's submitted application, never its draft
    const forFunder = await clients.funder.get(`/api/applications?organisation=${encodeURIComponent(bOrg)}`);
    expect((forFunder.body as { id: string }[]).map((r) => r.id)).toEqual([targets[1].id]);
    const anonymous = await clients.anonymous.get(`/api/applications?organisation=${encodeURIComponent(bOrg)}`);
    expect(anonymous.status).toBe(401);
    assertNoLeak(anonymous, 'anonymous GET /api/applications?organisation=B');
  });

  it('after the attempts, B’s applications, attachments and audit trail are unchanged', async () => {
    const after = await stateOfB();
    expect(after.objects).toEqual(before.objects);
    const old = new Set(before.audit.map((r) => r.id));
    const added = after.audit.filter((r) => !old.has(r.id));
    // nothing was written in B's name; refused attempts on B's objects may be recorded
    // (failed submissions are audited) but only as refusals, by someone else
    for (const r of added) {
      expect(r.organisation_id, JSON.stringify(r)).not.toBe(orgB);
      expect(r.actor_user_id).not.toBe(bUserId);
      expect(r.action, JSON.stringify(r)).toMatch(/_refused$/);
    }
    expect(after.audit.filter((r) => old.has(r.id))).toEqual(before.audit);
    // and nothing of B was created by the attempts
    const bApps = await rec.t.ctx.db.selectFrom('applications').select('id').where('organisation_id', '=', orgB).execute();
    expect(bApps.map((a) => a.id).sort()).toEqual(targets.map((t) => t.id).sort());
  });

  it('the owner gets through authorisation on every matrix route (the ids were right)', async () => {
    // reads first, then writes, deletes last: each case still finds the objects
    const order = (m: string) => ({ GET: 0, HEAD: 0, PUT: 1, POST: 2, DELETE: 3 })[m] ?? 2;
    const list = cases('owner').sort((x, y) => order(x.method) - order(y.method));
    expect(list.length).toBeGreaterThanOrEqual(20);
    for (const c of list) {
      c.target.version = (await clients.owner.get(`/api/applications/${c.target.id}`)).body.version;
      const r = await send('owner', c.method, c.url, c.target);
      const label = `owner ${c.method} ${c.url} [${c.target.name}] → ${r.status} ${typeof r.body === 'object' ? JSON.stringify(r.body).slice(0, 300) : ''}`;
      expect(r.status, label).toBeLessThan(500);
      const outcome = resolve(MATRIX[`${c.method === 'HEAD' ? 'GET' : c.method} ${c.url}`].roles.owner, c.target);
      if (typeof outcome === 'object' && 'status' in outcome) {
        expect(outcome.status, `${label} (${outcome.why})`).toContain(r.status);
        continue;
      }
      expect([401, 403, 404], label).not.toContain(r.status);
    }
  });
});
