import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import { ORG_TYPES } from '../../../src/domain/calls/call';
import { pathText, ZApplicationData } from '../../../src/domain/form/application';
import { LIMITS } from '../../../src/domain/form/limits';
import { BODY_LIMIT_BYTES } from '../../../src/server/app';
import { createTestApp, TEST_DB, type TestApp } from '../../support/app';
import { TestClient, type TestResponse } from '../../support/client';
import { createApplication, fixture, makeUscc, PASSWORD, registerOrg } from '../../support/fixtures';
import { multipart, multipartFiles, PNG } from '../../support/uploads';
import { setAt, type Path } from '../../support/text-leaves';

/**
 * Bad input (issue: "a property-based test sending thousands of malformed application
 * bodies … gets a clear 4xx naming the field every time, never a 5xx, and changes no stored
 * data"). The request schemas below mirror the routes' and serve only as the oracle that a
 * generated body is really malformed: a body they accept is skipped, never sent.
 */

// the routes' body schemas (applications.routes.ts, auth.routes.ts)
const ZPut = z.strictObject({ version: z.number().int().positive(), data: ZApplicationData });
const ZPost = z.strictObject({ callCode: z.string().max(64), data: ZApplicationData });
const ZRegister = z.strictObject({
  organisation: z.strictObject({ name: z.string().max(100), uscc: z.string().max(40), type: z.enum(ORG_TYPES) }),
  admin: z.strictObject({ name: z.string().max(50), email: z.string().max(100), mobile: z.string().max(20), password: z.string().max(200) }),
  pendingVerification: z.boolean().optional(),
});
const ZLogin = z.strictObject({ login: z.string().min(1).max(100), password: z.string().max(200) });

const CJK = /[\u3400-\u9fff]/;
const MARK = '\u0000mark\u0000';
const MARK_JSON = JSON.stringify(MARK);

/** Every path of a JSON value (objects, arrays and leaves), the root included. */
function pathsOf(v: unknown, prefix: Path = [], out: { path: Path; kind: 'object' | 'array' | 'leaf' }[] = []) {
  if (Array.isArray(v)) {
    out.push({ path: prefix, kind: 'array' });
    v.forEach((x, i) => pathsOf(x, [...prefix, i], out));
  } else if (v !== null && typeof v === 'object') {
    out.push({ path: prefix, kind: 'object' });
    for (const [k, x] of Object.entries(v)) pathsOf(x, [...prefix, k], out);
  } else out.push({ path: prefix, kind: 'leaf' });
  return out;
}

/** A copy of `root` with `value` at `path` (the root itself for an empty path). */
function withAt(root: unknown, path: Path, value: unknown): unknown {
  if (!path.length) return value;
  const copy = structuredClone(root);
  setAt(copy, path, value);
  return copy;
}

function getAt(root: unknown, path: Path): any {
  return path.reduce((o: any, p) => o[p], root);
}

/** The contract path text the server names a problem by ('' is the body itself). */
const where = (path: Path) => (path.length ? pathText(path) : 'body');

/** One malformed request body as JSON text, and the field the answer must name. */
interface Mutation {
  label: string;
  text: string;
  /** the field that must appear in problems[].path when the answer is a schema problem */
  field: string;
}

const nastyChars = fc.constantFrom('a', '中', '𠮷', ' ', '\n', '"', '\\', '<', '\u3000');
const overLength = fc.tuple(fc.constantFrom(33, 65, 101, 201, 2001, LIMITS.longText + 1), fc.nat(40), nastyChars);

const wrongTypeValue = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(true),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }),
  fc.string({ maxLength: 12 }),
  fc.constant([]),
  fc.constant({}),
);

/** Numbers that JSON cannot carry or JavaScript cannot keep, written as text in the body. */
const rawNumbers = fc.constantFrom(
  '1e309', '-1e309', 'NaN', 'Infinity', '-Infinity', '0x1F', '1e-400', '-0', '9007199254740993', '1e300', '01', '.5', '+1', '1.', '- 1', '1_000',
  '"1e309"', '"NaN"', '"Infinity"', '"-0"', '"1e-400"', '"0x10"', '"１２"',
);

const deepNesting = fc.tuple(fc.integer({ min: 10, max: 20_000 }), fc.constantFrom('array', 'object', 'mixed')).map(([d, kind]) =>
  kind === 'array' ? '['.repeat(d) + ']'.repeat(d) : kind === 'object' ? '{"a":'.repeat(d) + '1' + '}'.repeat(d) : '[{"a":'.repeat(d) + '[]' + '}]'.repeat(d),
);

const extraKeyName = fc.oneof(
  fc.string({ minLength: 1, maxLength: 20 }),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__', 'valueOf', 'isAdmin', 'organisationId', 'status', 'number', 'version'),
);

/** Malformed variants of `base` at every path: wrong types, huge strings, deep nesting, extra keys, arrays for objects, raw numbers. */
function mutations(base: unknown): fc.Arbitrary<Mutation> {
  return mutationsOf(base).map((m) => Object.assign(m, { [fc.toStringMethod]: () => `${m.label} (${m.text.length} chars)` }));
}

function mutationsOf(base: unknown): fc.Arbitrary<Mutation> {
  const paths = pathsOf(base);
  const render = (v: unknown, raw: string) => JSON.stringify(v).replace(MARK_JSON, () => raw);
  return fc.constantFrom(...paths).chain(({ path, kind }) => {
    const at = where(path);
    const options: fc.Arbitrary<Mutation>[] = [
      wrongTypeValue.map((v) => ({ label: `${at} = ${JSON.stringify(v)}`, text: JSON.stringify(withAt(base, path, v)), field: at })),
      overLength.map(([n, extra, ch]) => ({ label: `${at} = ${n + extra} × ${JSON.stringify(ch)}`, text: JSON.stringify(withAt(base, path, ch.repeat(n + extra))), field: at })),
      deepNesting.map((raw) => ({ label: `${at} = nesting ${raw.slice(0, 12)}… (${raw.length} chars)`, text: render(withAt(base, path, MARK), raw), field: at })),
      rawNumbers.map((raw) => ({ label: `${at} = ${raw}`, text: render(withAt(base, path, MARK), raw), field: at })),
    ];
    if (kind === 'object') {
      options.push(
        fc.tuple(extraKeyName, wrongTypeValue).map(([k, v]) => {
          const obj = { ...getAt(base, path), [MARK]: MARK };
          const text = JSON.stringify(withAt(base, path, obj)).replace(`${MARK_JSON}:${MARK_JSON}`, () => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
          return { label: `extra key ${JSON.stringify(k)} in ${at}`, text, field: path.length ? `${pathText(path)}.${k}` : k };
        }),
        fc.constant({ label: `${at} as [object]`, text: JSON.stringify(withAt(base, path, [getAt(base, path)])), field: at }),
      );
    }
    if (kind === 'array')
      options.push(fc.constant({ label: `${at} as {0: …}`, text: JSON.stringify(withAt(base, path, { ...getAt(base, path) })), field: at }));
    return fc.oneof(...options);
  });
}

/** Broken JSON text: truncated, with a stray character, or arbitrary text. */
function brokenJson(valid: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.nat(valid.length - 1).map((i) => valid.slice(0, i)),
    fc.tuple(fc.nat(valid.length), fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', "'", 'undefined', '/*', '\u0000', '\ufeff')).map(([i, s]) => valid.slice(0, i) + s + valid.slice(i)),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom('', ' ', 'null', 'true', '0', '""', '[]', '"{}"', '{"version":1,"data":{}}garbage', '{"version":1,,"data":{}}', "{'version':1}"),
  );
}

/** Valid UTF-8 JSON bytes with invalid UTF-8 sequences spliced into a string value or anywhere. */
function invalidUtf8(valid: string, inString: string): fc.Arbitrary<Buffer> {
  const bytes = Buffer.from(valid, 'utf8');
  const anchor = bytes.indexOf(Buffer.from(JSON.stringify(inString).slice(1, -1), 'utf8'));
  const bad = fc.constantFrom(
    [0xff],
    [0xfe, 0xff],
    [0xc3, 0x28],
    [0xc0, 0xaf], // overlong '/'
    [0xe0, 0x80, 0xaf], // overlong
    [0xed, 0xa0, 0x80], // an encoded surrogate
    [0xf4, 0x90, 0x80, 0x80], // beyond U+10FFFF
    [0xe4, 0xb8], // a truncated 中
    [0x80],
    [0xf8, 0x88, 0x80, 0x80, 0x80],
  );
  return fc.tuple(bad, fc.oneof(fc.constant(anchor + 1), fc.nat(bytes.length))).map(([b, i]) => {
    const out = Buffer.concat([bytes.subarray(0, i), Buffer.from(b), bytes.subarray(i)]);
    return Object.assign(out, { [fc.toStringMethod]: () => `bytes ${Buffer.from(b).toString('hex')} at ${i}` });
  });
}

function parses(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    // as the server's parser (secure-json-parse), a leading byte order mark is allowed
    return { ok: true, value: JSON.parse(text.replace(/^\ufeff/, '')) };
  } catch {
    return { ok: false };
  }
}

/** The answer to a malformed body: a 4xx in JSON with a Chinese message, naming `field` for a schema problem. */
function expectClean4xx(r: TestResponse, label: string, field?: string) {
  const detail = `${label} → ${r.status} ${JSON.stringify(r.body)?.slice(0, 400)}`;
  expect(r.status, detail).toBeGreaterThanOrEqual(400);
  expect(r.status, detail).toBeLessThan(500);
  expect(String(r.headers['content-type']), detail).toMatch(/^application\/json/);
  expect(typeof r.body?.message, detail).toBe('string');
  expect(r.body.message, detail).toMatch(CJK);
  if (field !== undefined) {
    expect(r.body.code, detail).toBe('invalid');
    const paths: string[] = (r.body.problems ?? []).map((p: any) => p.path);
    // a whole body replaced by the wrong thing is named by whatever it lacks or has too much
    expect(
      field === 'body' ? paths.length > 0 : paths.some((p) => p === field || p.startsWith(field + '.') || p.startsWith(field + '[')),
      `${detail}: problems[].path should name ${field}`,
    ).toBe(true);
    for (const p of r.body.problems) expect(p.message, detail).toMatch(CJK);
  }
}

/** The fields of a text that the server reads before the schema: the JSON parser refuses these keys outright. */
const poisoned = (text: string) => /"(__proto__|constructor)"\s*:/.test(text);

const RUNS = Number(process.env.FUZZ_RUNS ?? 1);

describe(`malformed bodies: 4xx naming the field, never 5xx, nothing stored (${TEST_DB})`, () => {
  let t: TestApp;
  let c: TestClient;
  let app: any;
  let login: { email: string; uscc: string };
  let before: Awaited<ReturnType<typeof stored>>;

  async function stored() {
    const view = await c.get(`/api/applications/${app.id}`);
    const row = await t.ctx.db.selectFrom('applications').select(['data', 'version', 'updated_at', 'status']).where('id', '=', app.id).executeTakeFirstOrThrow();
    const count = async (table: 'applications' | 'organisations' | 'users' | 'attachments') =>
      Number((await t.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    return {
      api: { raw: JSON.stringify(view.body.data), version: view.body.version, updatedAt: view.body.updatedAt },
      row,
      counts: { applications: await count('applications'), organisations: await count('organisations'), users: await count('users'), attachments: await count('attachments') },
      attachments: (await c.get(`/api/applications/${app.id}/attachments`)).body,
    };
  }

  beforeAll(async () => {
    t = await createTestApp({ config: { loginRateLimit: 1_000_000 } });
    c = new TestClient(t.app);
    const r = await registerOrg(c);
    login = { email: r.email, uscc: r.uscc };
    app = await createApplication(c, fixture('evaluation-with-partner').application);
    expect((await c.request('POST', `/api/applications/${app.id}/attachments`, undefined, multipart('附页.png', PNG))).status).toBe(201);
    before = await stored();
  });

  afterAll(async () => {
    await t?.close();
  });

  async function expectUnchanged() {
    const now = await stored();
    expect(now).toEqual(before);
    expect(({} as any).polluted, 'Object.prototype polluted').toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'isAdmin')).toBe(false);
  }

  const sendJson = (method: string, url: string, text: string | Buffer) =>
    c.request(method, url, undefined, { payload: Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'), headers: { 'content-type': 'application/json' } });

  /** One structural property over a route: every malformed body gets a clean 4xx naming its field. */
  async function structural(method: string, url: () => string, base: () => unknown, schema: z.ZodType, numRuns: number) {
    await fc.assert(
      fc.asyncProperty(
        mutations(base()),
        async (m) => {
          const parsed = parses(m.text);
          // a body the route's schema accepts is not malformed: not sent
          fc.pre(!parsed.ok || poisoned(m.text) || !schema.safeParse(parsed.value).success);
          const r = await sendJson(method, url(), m.text);
          if (!parsed.ok || poisoned(m.text)) {
            expectClean4xx(r, m.label);
            if (r.body.code === 'invalid') expectClean4xx(r, m.label, m.field);
          } else expectClean4xx(r, m.label, m.field);
        },
      ),
      { numRuns: numRuns * RUNS },
    );
  }

  it('PUT /api/applications/:id: wrong types, huge strings, deep nesting, extra and prototype keys, arrays for objects, raw numbers', async () => {
    await structural('PUT', () => `/api/applications/${app.id}`, () => ({ version: before.api.version, data: JSON.parse(before.api.raw) }), ZPut, 1000);
    await expectUnchanged();
  }, 120_000);

  it('POST /api/applications: the same mutations create nothing', async () => {
    await structural('POST', () => '/api/applications', () => ({ callCode: '2023-xhgf', data: JSON.parse(before.api.raw) }), ZPost, 300);
    await expectUnchanged();
  }, 120_000);

  it('POST /api/auth/register and /api/auth/login: the same mutations register and log in nobody', async () => {
    const reg = { organisation: { name: '中国模糊测试学会', uscc: makeUscc(), type: 'national-society' }, admin: { name: '赵六', email: 'fuzz@example.cn', mobile: '13900002222', password: PASSWORD } };
    await structural('POST', () => '/api/auth/register', () => reg, ZRegister, 300);
    const cookiesBefore = new Map(c.cookies);
    await structural('POST', () => '/api/auth/login', () => ({ login: login.email, password: PASSWORD }), ZLogin, 300);
    expect(c.cookies).toEqual(cookiesBefore);
    await expectUnchanged();
  }, 120_000);

  it('broken JSON text and invalid UTF-8 bytes get 400 with a Chinese message', async () => {
    const valid = JSON.stringify({ version: before.api.version, data: { ...JSON.parse(before.api.raw), projectName: '被篡改的项目名称（不应保存）' } });
    const url = `/api/applications/${app.id}`;
    await fc.assert(
      fc.asyncProperty(brokenJson(valid), async (text) => {
        const parsed = parses(text);
        fc.pre(!parsed.ok || !ZPut.safeParse(parsed.value).success);
        const r = await sendJson('PUT', url, text);
        expectClean4xx(r, `PUT ${JSON.stringify(text.slice(0, 60))}…`);
      }),
      { numRuns: 300 * RUNS },
    );
    await fc.assert(
      fc.asyncProperty(invalidUtf8(valid, '被篡改的项目名称（不应保存）'), async (bytes) => {
        const r = await sendJson('PUT', url, bytes);
        expectClean4xx(r, `PUT with invalid UTF-8 ${bytes.subarray(0, 40).toString('hex')}…`);
        expect(r.status).toBe(400);
      }),
      { numRuns: 200 * RUNS },
    );
    for (const route of ['/api/applications', '/api/auth/register', '/api/auth/login']) {
      const r = await sendJson('POST', route, Buffer.concat([Buffer.from('{"login":"'), Buffer.from([0xff, 0xfe]), Buffer.from('","password":"x"}')]));
      expectClean4xx(r, `POST ${route} with invalid UTF-8`);
    }
    await expectUnchanged();
  }, 120_000);

  it('text the database cannot keep (U+0000, lone surrogates) is refused naming the field', async () => {
    const data = JSON.parse(before.api.raw);
    const bad = ['a\u0000b', '\ud800', 'x\udfffy', '\u0000'];
    for (const s of bad) {
      const cases: [string, string, unknown, string][] = [
        ['PUT', `/api/applications/${app.id}`, { version: before.api.version, data: { ...data, projectName: s } }, 'data.projectName'],
        ['PUT', `/api/applications/${app.id}`, { version: before.api.version, data: { ...data, team: [{ ...data.team[0], note: s }] } }, 'data.team[0].note'],
        ['POST', '/api/applications', { callCode: s, data: { subProgrammes: ['standards'] } }, 'callCode'],
        ['POST', '/api/auth/login', { login: s, password: PASSWORD }, 'login'],
        ['POST', '/api/auth/login', { login: login.email, password: s }, 'password'],
        ['POST', '/api/auth/register', { organisation: { name: s, uscc: makeUscc(), type: 'national-society' }, admin: { name: '赵六', email: 'nul@example.cn', mobile: '13900002222', password: PASSWORD } }, 'organisation.name'],
        ['POST', '/api/auth/register', { organisation: { name: '单位', uscc: makeUscc(), type: 'national-society' }, admin: { name: s, email: 'nul2@example.cn', mobile: '13900002222', password: PASSWORD } }, 'admin.name'],
        ['POST', '/api/auth/register', { organisation: { name: '单位', uscc: makeUscc(), type: 'national-society' }, admin: { name: '赵六', email: 'nul3@example.cn', mobile: '13900002222', password: PASSWORD + s } }, 'admin.password'],
      ];
      for (const [method, url, body, field] of cases) {
        const r = await sendJson(method, url, JSON.stringify(body));
        expectClean4xx(r, `${method} ${url} ${field}=${JSON.stringify(s)}`, field);
      }
    }
    await expectUnchanged();
  });

  it('valid shapes at the edges of number ranges: versions beyond any stored one are a 409, not a 5xx', async () => {
    const data = JSON.parse(before.api.raw);
    for (const version of [before.api.version + 7, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER]) {
      const r = await c.put(`/api/applications/${app.id}`, { version, data: { ...data, projectName: '不应保存' } });
      expect(r.status, `version ${version} → ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`).toBe(409);
      expect(r.body.code).toBe('version_conflict');
    }
    for (const amount of [1e300, -1e300, 5e-324, Number.MAX_VALUE, 0.1 + 0.2, '1e309', '-0', '9'.repeat(32), '0.00001']) {
      const r = await c.post('/api/applications', { callCode: '2023-xhgf', data: { subProgrammes: ['evaluation'], budget: { castFunds: amount, items: [{ amount }] } } });
      expect(r.status, `amount ${amount} → ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`).toBeLessThan(500);
      expect([400, 409]).toContain(r.status);
    }
    for (const age of [1e300, -1, 0.5, '1e309', 'NaN', '１２']) {
      const r = await c.post('/api/applications', { callCode: '2023-xhgf', data: { subProgrammes: ['evaluation'], team: [{ age }] } });
      expect(r.status, `age ${age} → ${r.status}`).toBeLessThan(500);
    }
    await expectUnchanged();
  });

  it('bad input in the URL (ids, codes, query strings) is a 4xx, never a 5xx', async () => {
    const urls = [
      '/api/applications/not-a-uuid',
      '/api/applications/%00',
      `/api/applications/${'9'.repeat(5000)}`,
      '/api/applications/..%2F..%2Fetc%2Fpasswd',
      '/api/applications/00000000-0000-0000-0000-000000000000',
      '/api/applications?callCode=%00',
      '/api/applications?status=%00',
      '/api/applications?status=bogus',
      '/api/applications?organisationId=%00',
      `/api/applications?callCode=${'x'.repeat(100)}`,
      '/api/applications?callCode=a&callCode=b',
      '/api/applications?organisation=%00',
      `/api/applications?organisation=${'x'.repeat(101)}`,
      '/api/applications?organisation=a&organisation=b',
      '/api/calls/%00',
      '/api/calls/%ff%fe',
      `/api/calls/${'x'.repeat(65)}`,
      '/api/calls/..%2F..',
      `/api/applications/${app.id}/attachments/%00`,
      `/api/applications/${app.id}/attachments/00000000-0000-0000-0000-000000000000`,
      `/api/applications/${app.id}/pdf?x=%00`,
    ];
    for (const url of urls) {
      const r = await c.get(url);
      expectClean4xx(r, `GET ${url}`);
    }
    // keys the query parser keeps as they are: ignored, no pollution, only the caller's own list
    for (const url of ['/api/applications?callCode[]=a', '/api/applications?__proto__[polluted]=1', '/api/applications?__proto__=x&constructor[prototype][polluted]=1']) {
      const r = await c.get(url);
      expect(r.status, url).toBeLessThan(500);
      if (r.status === 200) expect(r.body.map((a: any) => a.id), url).toEqual([app.id]);
      else expectClean4xx(r, url);
    }
    // a 申报单位 filter that is not UTF-8, a lone surrogate, LIKE's wildcards and escape, SQL:
    // matched literally (nothing here) or refused
    for (const url of ['%ff%fe', '%ED%A0%80', '%25%5F%5C', '%27%20or%201%3D1%20--'].map((v) => `/api/applications?organisation=${v}`)) {
      const r = await c.get(url);
      expect(r.status, url).toBeLessThan(500);
      if (r.status === 200) expect(r.body, url).toEqual([]);
      else expectClean4xx(r, url);
    }
    await expectUnchanged();
  });

  it('oversized bodies get 413, oversized and malformed uploads a 4xx; no attachment is stored', async () => {
    const data = JSON.parse(before.api.raw);
    const big = JSON.stringify({ version: before.api.version, data: { ...data, basis: 'x'.repeat(BODY_LIMIT_BYTES) } });
    const r1 = await sendJson('PUT', `/api/applications/${app.id}`, big);
    expectClean4xx(r1, 'PUT > bodyLimit');
    expect(r1.status).toBe(413);
    const r2 = await sendJson('POST', '/api/auth/login', JSON.stringify({ login: 'a'.repeat(BODY_LIMIT_BYTES + 1), password: 'x' }));
    expect(r2.status).toBe(413);
    expectClean4xx(r2, 'login > bodyLimit');
    // a long text over its limit but under the body limit names the field
    const r3 = await c.put(`/api/applications/${app.id}`, { version: before.api.version, data: { ...data, plan: '中'.repeat(LIMITS.longText + 1) } });
    expectClean4xx(r3, 'plan over LIMITS.longText', 'data.plan');

    const url = `/api/applications/${app.id}/attachments`;
    const huge = Buffer.concat([PNG, Buffer.alloc(LIMITS.attachmentBytes + 1 - PNG.length + 1024)]);
    const up = await c.request('POST', url, undefined, multipart('巨大.png', huge));
    expectClean4xx(up, 'upload > 20 MB');
    expect(up.status).toBe(413);
    const wrongField = await c.request('POST', url, undefined, multipart('x.png', PNG, 'notfile'));
    expectClean4xx(wrongField, 'upload with another field name');
    const empty = await c.request('POST', url, undefined, multipart('empty.png', Buffer.alloc(0)));
    expectClean4xx(empty, 'empty upload');
    const asJson = await sendJson('POST', url, '{"file":"x"}');
    expectClean4xx(asJson, 'upload as JSON');
    const noBoundary = await c.request('POST', url, undefined, { payload: Buffer.from('--x\r\n\r\n'), headers: { 'content-type': 'multipart/form-data' } });
    expectClean4xx(noBoundary, 'multipart without boundary');
    const truncated = multipart('cut.png', PNG);
    const cut = await c.request('POST', url, undefined, { payload: truncated.payload.subarray(0, truncated.payload.length - 20), headers: truncated.headers });
    expectClean4xx(cut, 'truncated multipart');
    // (refused with 400 since uploads read every part: test/integration/attachments.test.ts)
    const r2files = await c.request('POST', url, undefined, multipartFiles({ name: 'a.png', content: PNG }, { name: 'b.png', content: PNG, type: 'image/png' }));
    expect(r2files.status, `two files → ${r2files.status} ${JSON.stringify(r2files.body)}`).toBeLessThan(500);
    for (const ct of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'application/octet-stream']) {
      const r = await c.request('PUT', `/api/applications/${app.id}`, undefined, { payload: Buffer.from('version=1&data=x'), headers: { 'content-type': ct } });
      expectClean4xx(r, `PUT as ${ct}`);
    }
    await expectUnchanged();
  }, 60_000);
});
