import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TApplicationData } from '../../src/domain/form/application';
import type { TOrgType } from '../../src/domain/calls/call';
import { orgCodeCheckCharacter, usccCheckCharacter } from '../../src/domain/uscc';
import type { TestClient } from './client';

/** The repository root, and shared/ beside it. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES_DIR = path.resolve(REPO_ROOT, '../shared/fixtures/applications');

/** A fixture of shared/fixtures/applications: the organisation and its filled application. */
export interface Fixture {
  name: string;
  organisation: { name: string; uscc: string; type: TOrgType; adminName: string; adminEmail: string; adminMobile: string };
  application: TApplicationData;
}

/** Every fixture, by file name without .json. */
export function loadFixtures(): Fixture[] {
  return readdirSync(FIXTURES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.replace(/\.json$/, ''), ...JSON.parse(readFileSync(path.join(FIXTURES_DIR, f), 'utf8')) }));
}

/** One fixture by name, deep-copied. */
export function fixture(name: string): Fixture {
  const f = loadFixtures().find((x) => x.name === name);
  if (!f) throw new Error(`no fixture ${name}`);
  return structuredClone(f);
}

let serial = 0;
/** A valid, unique 统一社会信用代码 of a national society (51…), made for a test. */
export function makeUscc(seed = ++serial + Math.floor(Math.random() * 1e6)): string {
  const body = String(70000000 + (seed % 29999999)).padStart(8, '0');
  const f17 = '51100000' + body + orgCodeCheckCharacter(body);
  return f17 + usccCheckCharacter(f17);
}

export const PASSWORD = 'correct-horse-battery';

/** Register an organisation through the API and leave the client logged in. */
export async function registerOrg(
  client: TestClient,
  org: { name?: string; uscc?: string; type?: TOrgType; email?: string } = {},
): Promise<{ user: any; uscc: string; email: string }> {
  const uscc = org.uscc ?? makeUscc();
  const email = org.email ?? `admin-${uscc.toLowerCase()}@example.cn`;
  const r = await client.post('/api/auth/register', {
    organisation: { name: org.name ?? `测试学会${uscc.slice(-6)}`, uscc, type: org.type ?? 'national-society' },
    admin: { name: '测试管理员', email, mobile: '13800001234', password: PASSWORD },
  });
  if (r.status !== 201) throw new Error(`register failed ${r.status} ${JSON.stringify(r.body)}`);
  return { user: r.body.user, uscc, email };
}

/** Register a fixture's organisation (its own code, name and type). */
export async function registerFixtureOrg(client: TestClient, f: Fixture) {
  const r = await client.post('/api/auth/register', {
    organisation: { name: f.organisation.name, uscc: f.organisation.uscc, type: f.organisation.type },
    admin: { name: f.organisation.adminName, email: f.organisation.adminEmail, mobile: f.organisation.adminMobile, password: PASSWORD },
  });
  if (r.status !== 201) throw new Error(`register failed ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.user;
}

/** Create an application with the given data and return the API's view. */
export async function createApplication(client: TestClient, data: TApplicationData) {
  const r = await client.post('/api/applications', { callCode: '2023-xhgf', data });
  if (r.status !== 201) throw new Error(`create failed ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
