import autocannon from 'autocannon';
import type { Db } from '../../src/server/db/connect';
import { loadFixtures } from '../../test/support/fixtures';
import type { Account } from './db';

/** An application owned by one account, with the version its owner last saw. */
export interface BenchApp {
  id: string;
  account: Account;
  version: number;
  /** Fixture payload as JSON, split around the marker that changes on each save. */
  head: string;
  tail: string;
}

/** What a load run acknowledged: per application, the saves answered 200. */
export interface Acks {
  /** Every 200 of a save: version it produced and the marker it carried. */
  saves: Map<string, { version: number; marker: string }[]>;
  /** 申报编号 returned by submit, per application (every 200). */
  numbers: Map<string, string[]>;
}

export const newAcks = (): Acks => ({ saves: new Map(), numbers: new Map() });

const MARK = '【压测标记】';

/**
 * The fixture applications of shared/fixtures (about 15 KB of JSON each), with a marker at
 * the end of 四 (`plan`): each save changes only that marker, so a save is a realistic
 * payload with one field changed.
 */
export function payloadTemplates(): { data: any; head: string; tail: string }[] {
  return loadFixtures().map((f) => {
    const data = structuredClone(f.application);
    data.plan = (data.plan ?? '') + MARK;
    const json = JSON.stringify(data);
    const at = json.indexOf(MARK) + MARK.length;
    return { data: f.application, head: json.slice(0, at), tail: json.slice(at) };
  });
}

/** The marker a save body carries, read back from stored data. */
export function markerOf(dataJson: string): string {
  const plan: string = JSON.parse(dataJson).plan ?? '';
  const i = plan.lastIndexOf(MARK);
  return i < 0 ? '' : plan.slice(i + MARK.length);
}

function headers(a: Account, extra: Record<string, string> = {}) {
  return { cookie: a.cookie, 'x-csrf-token': a.csrf, ...extra };
}

/** Create one draft per account through the API (`concurrency` at a time), spread over `urls`. */
export async function createApplications(urls: string[], accounts: Account[], concurrency = 8): Promise<BenchApp[]> {
  const templates = payloadTemplates();
  const out: BenchApp[] = new Array(accounts.length);
  let next = 0;
  const worker = async () => {
    while (next < accounts.length) {
      const i = next++;
      const a = accounts[i];
      const t = templates[i % templates.length];
      const r = await fetch(urls[i % urls.length] + '/api/applications', {
        method: 'POST',
        headers: headers(a, { 'content-type': 'application/json' }),
        body: JSON.stringify({ callCode: '2023-xhgf', data: t.data }),
      });
      const b: any = await r.json();
      if (r.status !== 201) throw new Error(`create application: ${r.status} ${JSON.stringify(b)}`);
      out[i] = { id: b.id, account: a, version: b.version, head: t.head, tail: t.tail };
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}

/** Summary of an autocannon run as RESULTS.md shows it. */
export interface RunFigures {
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  status: Record<string, number>;
  durationS: number;
  /**
   * A paced run ({@link paced}): p50–max above are over its steady window; these are over
   * every response, the load generator's start and end included.
   */
  whole?: { p50: number; p90: number; p99: number; max: number };
  /**
   * A paced run: the steady window — from `startS` s (one second after the last
   * autocannon instance was started) to the first instance's end, `seconds` long — and the
   * load generator's own worst event-loop lag within it (ms), which would show as latency.
   */
  window?: { startS: number; seconds: number; loadgenLagMs: number };
}

function figures(r: autocannon.Result): RunFigures {
  const status: Record<string, number> = {};
  for (const [k, v] of Object.entries((r as any).statusCodeStats ?? {})) status[k] = (v as any).count;
  return {
    requests: r.requests.total,
    rps: Math.round((r.requests.total / r.duration) * 10) / 10,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    max: r.latency.max,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    status,
    durationS: r.duration,
  };
}

let markerSeq = 0;

/**
 * Saves: `connections` autocannon connections, connection i owning application i (so
 * `apps.length` must be ≥ connections); each sends PUT /api/applications/:id with the version
 * from its last 200 and a new marker, as fast as it can or, with `overallRate`, at that many
 * saves/s in total spread evenly over each second (see {@link paced}). Acknowledged saves go
 * to `acks`. A 409 (which should not happen: nobody else writes the application) re-reads
 * the version from the conflict body so the run goes on.
 */
export function runSaves(opts: { urls: string[]; apps: BenchApp[]; connections: number; duration: number; overallRate?: number; acks: Acks; timeout?: number; onStart?: (instance: { stop(): void }) => void }): Promise<RunFigures> {
  let clientNo = 0;
  const options = (connections: number, overallRate?: number) => ({
    url: opts.urls.length === 1 ? opts.urls[0] : opts.urls,
    connections,
    duration: opts.duration,
    overallRate,
    timeout: opts.timeout ?? 10,
    requests: [{ method: 'GET', path: '/api/health' }],
    setupClient(client: any) {
      const app = opts.apps[clientNo++ % opts.apps.length];
      let marker = '';
      client.setRequests([
        {
          method: 'PUT',
          path: `/api/applications/${app.id}`,
          setupRequest(req: any) {
            marker = `m${++markerSeq}`;
            return {
              ...req,
              headers: headers(app.account, { 'content-type': 'application/json' }),
              body: `{"version":${app.version},"data":${app.head}${marker}${app.tail}}`,
            };
          },
          onResponse(status: number, body: string) {
            if (status === 200) {
              const v = JSON.parse(body).version as number;
              app.version = v;
              let l = opts.acks.saves.get(app.id);
              if (!l) opts.acks.saves.set(app.id, (l = []));
              l.push({ version: v, marker });
            } else if (status === 409) {
              const v = JSON.parse(body)?.current?.version;
              if (typeof v === 'number') app.version = v;
            }
          },
        },
      ]);
    },
  });
  if (opts.overallRate) return paced(opts.overallRate, opts.connections, (share) => options(share.connections, share.rate), undefined, opts.duration);
  return new Promise((resolve, reject) => {
    const instance = autocannon(options(opts.connections) as any, (err, result) => (err ? reject(err) : resolve(figures(result))));
    opts.onStart?.(instance as { stop(): void });
  });
}

/**
 * A fixed arrival rate with autocannon. Its rate limit (`overallRate`) gives each connection
 * a budget per second and releases it at the start of the connection's second, so one
 * instance sends a whole second's requests in a burst at each second's start: at 500/s that
 * is 500 requests queued at once, which measures the burst, not a steady load. Here the
 * rate is shared by `instances` autocannon instances (default: one per 2 connections, at
 * most 100), started 1000/instances ms apart, so that a few requests arrive every few
 * milliseconds. Counts are summed. `amount` (a total number of requests) is shared too.
 * The percentiles are over the steady window, with the whole run's beside them (`whole`,
 * `window`): starting
 * 100 instances and ending them kept this process's own event loop busy for up to 300 ms at
 * a time (measured), and every response it read meanwhile counted that wait as latency.
 */
export async function paced(rate: number, connections: number, options: (share: { rate: number; connections: number; amount?: number }) => Record<string, unknown>, amount?: number, duration?: number): Promise<RunFigures> {
  const k = Math.max(1, Math.min(100, Math.floor(connections / 2), rate, amount ?? Infinity));
  const share = (total: number, i: number) => Math.floor(total / k) + (i < total % k ? 1 : 0);
  /** every response: when it was read (ms since t0) and its latency (ms) */
  const answers: [number, number][] = [];
  const t0 = performance.now();
  // the load generator's own event-loop lag, sampled every 5 ms: [when, lag ms]
  const lags: [number, number][] = [];
  let tick = performance.now();
  const lagTimer = setInterval(() => {
    const now = performance.now();
    lags.push([now - t0, Math.max(0, now - tick - 5)]);
    tick = now;
  }, 5);
  let lastStart = 0;
  let firstEnd = Infinity;
  let results: autocannon.Result[];
  try {
    results = await Promise.all(
      Array.from({ length: k }, async (_, i) => {
        await new Promise((r) => setTimeout(r, (i * 1000) / k));
        const r = share(rate, i);
        const c = Math.max(1, Math.min(share(connections, i), r));
        return new Promise<autocannon.Result>((resolve, reject) => {
          const inst: any = autocannon(options({ rate: r, connections: c, amount: amount === undefined ? undefined : share(amount, i) }), (err, result) => {
            firstEnd = Math.min(firstEnd, performance.now() - t0);
            if (err) reject(err);
            else resolve(result);
          });
          lastStart = Math.max(lastStart, performance.now() - t0);
          inst.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => answers.push([performance.now() - t0, ms]));
        });
      }),
    );
  } finally {
    clearInterval(lagTimer);
  }
  // a timed run: each instance ran `duration` s (staggered); a counted run: first start to last answer
  const seconds = duration ?? (performance.now() - t0) / 1000;
  const percentiles = (latencies: number[]) => {
    latencies.sort((a, b) => a - b);
    const q = (p: number) => (latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]) : 0);
    return { p50: q(0.5), p90: q(0.9), p99: q(0.99), max: Math.round(latencies[latencies.length - 1] ?? 0) };
  };
  const whole = percentiles(answers.map(([, ms]) => ms));
  let steady = whole;
  let window: RunFigures['window'];
  {
    // Starting the instances (histograms, connections) and ending them (their results) keeps
    // this process busy for a second or so, and a response it reads late counts as slow: the
    // steady window is from a second after the last start to the first end, counting the
    // requests sent in it (read time minus latency).
    const from = lastStart + 1000;
    const inWindow = answers.filter(([at, ms]) => at - ms >= from && at <= firstEnd).map(([, ms]) => ms);
    if (inWindow.length) {
      steady = percentiles(inWindow);
      const lagMs = Math.round(Math.max(0, ...lags.filter(([at]) => at >= from && at <= firstEnd).map(([, l]) => l)));
      window = { startS: Math.round(from / 100) / 10, seconds: Math.round((firstEnd - from) / 100) / 10, loadgenLagMs: lagMs };
    }
  }
  const status: Record<string, number> = {};
  for (const r of results) for (const [code, v] of Object.entries(r.statusCodeStats ?? {})) status[code] = (status[code] ?? 0) + v.count;
  const requests = results.reduce((n, r) => n + r.requests.total, 0);
  return {
    requests,
    rps: Math.round((requests / seconds) * 10) / 10,
    ...steady,
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
    errors: results.reduce((n, r) => n + r.errors, 0),
    timeouts: results.reduce((n, r) => n + r.timeouts, 0),
    status,
    durationS: Math.round(seconds),
    ...(window ? { whole, window } : {}),
  };
}

/**
 * Submit storm: each application of `apps` submitted once (POST …/submit), by `connections`
 * connections at `overallRate` submits/s in total. Every 200's 申报编号 goes to `acks`.
 */
export function runSubmits(opts: { urls: string[]; apps: BenchApp[]; connections: number; overallRate?: number; acks: Acks }): Promise<RunFigures> {
  const queue = [...opts.apps];
  const options = (connections: number, amount: number, overallRate?: number) => ({
    url: opts.urls.length === 1 ? opts.urls[0] : opts.urls,
    connections,
    amount,
    overallRate,
    timeout: 30,
    requests: [{ method: 'GET', path: '/api/health' }],
    setupClient(client: any) {
      let app: BenchApp | undefined;
      client.setRequests([
        {
          method: 'POST',
          path: '/api/health',
          setupRequest(req: any) {
            app = queue.shift();
            // autocannon stops after `amount` responses; a client asked for one more gets a harmless read
            if (!app) return { ...req, method: 'GET', path: '/api/health', headers: {}, body: undefined };
            return { ...req, method: 'POST', path: `/api/applications/${app.id}/submit`, headers: headers(app.account), body: undefined };
          },
          onResponse(status: number, body: string) {
            if (app && status === 200) {
              let l = opts.acks.numbers.get(app.id);
              if (!l) opts.acks.numbers.set(app.id, (l = []));
              l.push(JSON.parse(body).number);
            }
          },
        },
      ]);
    },
  });
  if (opts.overallRate) return paced(opts.overallRate, opts.connections, (share) => options(share.connections, share.amount!, share.rate), opts.apps.length);
  return new Promise((resolve, reject) => {
    autocannon(options(opts.connections, opts.apps.length) as any, (err, result) => (err ? reject(err) : resolve(figures(result))));
  });
}

/** The floor: PUT /floor/:row with the same body, as fast as possible (bench/floor-server.ts). */
export function runFloor(opts: { url: string; connections: number; duration: number }): Promise<RunFigures> {
  const t = payloadTemplates()[0];
  let clientNo = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: opts.url,
        connections: opts.connections,
        duration: opts.duration,
        requests: [{ method: 'GET', path: '/floor/health' }],
        setupClient(client: any) {
          const row = clientNo++;
          let version = 1;
          client.setRequests([
            {
              method: 'PUT',
              path: `/floor/${row}`,
              setupRequest(req: any) {
                return { ...req, headers: { 'content-type': 'application/json' }, body: `{"version":${version},"data":${t.head}f${++markerSeq}${t.tail}}` };
              },
              onResponse(status: number, body: string) {
                if (status === 200) version = JSON.parse(body).version;
              },
            },
          ]);
        },
      } as any,
      (err, result) => (err ? reject(err) : resolve(figures(result))),
    );
  });
}

/** Findings of the after-run check in the database (zero means none). */
export interface Verification {
  applications: number;
  acknowledgedSaves: number;
  /** Acknowledged saves missing from the database (no audit record of their version, or the row is older). */
  lost: number;
  /** Versions recorded more than once, or a row whose version does not match its recorded saves (a write without its audit record or the reverse). */
  duplicated: number;
  /** Rows at the latest acknowledged version whose content is not what that save sent. */
  contentMismatch: number;
  submitted: number;
  /** Acknowledged submissions without status submitted and that number. */
  submitLost: number;
  /** Applications with more than one submit record, or a 申报编号 used twice. */
  submitDuplicated: number;
  /** Saves that committed without their 200 reaching the bench (in flight when a run stopped or a server died). */
  unacknowledged: number;
}

/**
 * Check in the database that every acknowledged save is there exactly once (its version has
 * one audit record, the row is at or after it, the latest one's content is stored) and every
 * acknowledged submission has one number, used once. A row's version must be 1 + its
 * recorded saves (+1 once submitted): nothing half-written, nothing applied twice.
 */
export async function verify(db: Db, apps: BenchApp[], acks: Acks): Promise<Verification> {
  const v: Verification = { applications: apps.length, acknowledgedSaves: 0, lost: 0, duplicated: 0, contentMismatch: 0, submitted: 0, submitLost: 0, submitDuplicated: 0, unacknowledged: 0 };
  const ids = apps.map((a) => a.id);
  const rows = new Map<string, { version: number; data: string; status: string; number: string | null }>();
  const audits = new Map<string, Map<number, number>>();
  const submitsAudited = new Map<string, number>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    for (const r of await db.db.selectFrom('applications').select(['id', 'version', 'data', 'status', 'number']).where('id', 'in', chunk).execute()) rows.set(r.id, r);
    for (const r of await db.db.selectFrom('audit_log').select(['entity_id', 'action', 'details']).where('entity_type', '=', 'application').where('entity_id', 'in', chunk).where('action', 'in', ['application.save', 'application.submit']).execute()) {
      if (r.action === 'application.submit') {
        submitsAudited.set(r.entity_id!, (submitsAudited.get(r.entity_id!) ?? 0) + 1);
        continue;
      }
      const to = JSON.parse(r.details).toVersion as number;
      let m = audits.get(r.entity_id!);
      if (!m) audits.set(r.entity_id!, (m = new Map()));
      m.set(to, (m.get(to) ?? 0) + 1);
    }
  }
  for (const app of apps) {
    const row = rows.get(app.id);
    const saves = acks.saves.get(app.id) ?? [];
    v.acknowledgedSaves += saves.length;
    const a = audits.get(app.id) ?? new Map<number, number>();
    if (!row) {
      v.lost += saves.length;
      continue;
    }
    const acked = new Set(saves.map((s) => s.version));
    for (const s of saves) if (!a.has(s.version)) v.lost++;
    let recorded = 0;
    for (const [to, n] of a) {
      recorded++;
      if (n > 1) v.duplicated++;
      if (!acked.has(to)) v.unacknowledged += n;
    }
    const submits = submitsAudited.get(app.id) ?? 0;
    if (row.version !== 1 + recorded + submits) v.duplicated++;
    const last = saves.reduce<{ version: number; marker: string } | undefined>((m, s) => (!m || s.version > m.version ? s : m), undefined);
    if (last) {
      const storedSaveVersion = row.version - submits;
      if (storedSaveVersion < last.version) v.lost++;
      else if (storedSaveVersion === last.version && markerOf(row.data) !== last.marker) v.contentMismatch++;
    }
    const nums = acks.numbers.get(app.id);
    if (nums?.length) {
      v.submitted++;
      if (row.status !== 'submitted' || !row.number || nums.some((n) => n !== row.number)) v.submitLost++;
      if (submits !== 1) v.submitDuplicated++;
    }
  }
  const numbers = [...rows.values()].map((r) => r.number).filter(Boolean);
  if (new Set(numbers).size !== numbers.length) v.submitDuplicated += numbers.length - new Set(numbers).size;
  return v;
}

/** True when nothing was lost, duplicated or damaged. */
export const clean = (v: Verification) => v.lost + v.duplicated + v.contentMismatch + v.submitLost + v.submitDuplicated === 0;

/**
 * Re-read each application's version from the server, until two readings half a second apart
 * agree: saves still queued in the server when a run stopped commit without their 200
 * reaching the bench, and the next run would otherwise start from a stale version (409).
 */
export async function settleVersions(url: string, apps: BenchApp[]): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const before = apps.map((a) => a.version);
    await new Promise((r) => setTimeout(r, 500));
    await resyncVersions(url, apps);
    if (i > 0 && apps.every((a, k) => a.version === before[k])) return;
  }
}

/** Re-read each application's version from the server once. */
export async function resyncVersions(url: string, apps: BenchApp[], concurrency = 8): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < apps.length) {
      const app = apps[next++];
      const r = await fetch(`${url}/api/applications/${app.id}`, { headers: { cookie: app.account.cookie } });
      const b: any = await r.json();
      if (r.status !== 200) throw new Error(`read application: ${r.status} ${JSON.stringify(b)}`);
      app.version = b.version;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
