import { afterEach, describe, expect, it } from 'vitest';
import { Invalid } from '../../../domain/errors';
import { ChildPool, type ChildPoolOptions } from './child-pool';
import { PdfRendererUnavailable } from './render-errors';

interface In {
  echo?: string;
  crash?: boolean;
  sleepMs?: number;
  growMb?: number;
  invalid?: boolean;
  fail?: string;
}
interface Out {
  pid: number;
  echo?: string;
  at: number;
}

const pools: ChildPool<In, Out>[] = [];
function pool(o: Partial<ChildPoolOptions> = {}): ChildPool<In, Out> {
  const p = new ChildPool<In, Out>({
    entry: new URL('./child-pool.test-worker.mjs', import.meta.url),
    execArgv: [],
    size: 1,
    maxJobsPerChild: 100,
    maxRssBytes: 1024 ** 3,
    timeoutMs: 10_000,
    maxQueue: 100,
    ...o,
  });
  pools.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('ChildPool', () => {
  it('runs jobs one at a time per child, in the order asked, at most `size` children', async () => {
    const p = pool({ size: 2 });
    const outs = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((echo) => p.run({ echo, sleepMs: 30 })));
    expect(outs.map((o) => o.echo)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(new Set(outs.map((o) => o.pid)).size).toBe(2);
    // one at a time: the same child's jobs never overlap
    for (const pid of new Set(outs.map((o) => o.pid))) {
      const ats = outs.filter((o) => o.pid === pid).map((o) => o.at);
      for (let i = 1; i < ats.length; i++) expect(ats[i] - ats[i - 1]).toBeGreaterThanOrEqual(25);
    }
  });

  it('replaces a child after maxJobsPerChild jobs, and starts the successor at once', async () => {
    const p = pool({ maxJobsPerChild: 2 });
    const [a, b, c] = [await p.run({}), await p.run({}), await p.run({})];
    expect(b.pid).toBe(a.pid);
    expect(c.pid).not.toBe(a.pid);
    await expect.poll(() => alive(a.pid)).toBe(false);
  });

  it('replaces a child whose RSS after a job reaches maxRssBytes', async () => {
    const p = pool({ maxRssBytes: 200 * 1024 * 1024 });
    const a = await p.run({});
    expect((await p.run({})).pid).toBe(a.pid);
    await p.run({ growMb: 250 });
    expect((await p.run({})).pid).not.toBe(a.pid);
  });

  it('rebuilds the child\'s errors: Invalid with code and problems, others by name and message', async () => {
    const p = pool();
    const invalid = await p.run({ invalid: true }).catch((e) => e);
    expect(invalid).toBeInstanceOf(Invalid);
    expect(invalid).toMatchObject({ code: 'missing_glyph', message: '无法打印', problems: [{ path: 'a.b', message: 'U+E000' }], details: { problems: [{ path: 'a.b', message: 'U+E000' }] } });
    const other = await p.run({ fail: 'boom' }).catch((e) => e);
    expect(other).toBeInstanceOf(Error);
    expect(other).toMatchObject({ name: 'TypeError', message: 'boom' });
    // an error is a finished job, not a dead child
    expect(p.status().children).toHaveLength(1);
  });

  it('fails only the job whose child died, with PdfRendererUnavailable `crashed`; the queue goes on in a new child', async () => {
    const p = pool();
    const first = await p.run({});
    const [crashed, next] = await Promise.allSettled([p.run({ crash: true }), p.run({ echo: 'after' })]);
    expect(crashed.status).toBe('rejected');
    const err = (crashed as PromiseRejectedResult).reason;
    expect(err).toBeInstanceOf(PdfRendererUnavailable);
    expect(err).toMatchObject({ code: 'unavailable', reason: 'crashed' });
    expect(err.message).toContain('exit code 3');
    expect(next).toMatchObject({ status: 'fulfilled', value: { echo: 'after' } });
    expect((next as PromiseFulfilledResult<Out>).value.pid).not.toBe(first.pid);
  });

  it('fails a job that outlives timeoutMs, kills its child, and serves the next job', async () => {
    const p = pool({ timeoutMs: 1_500 });
    const first = await p.run({});
    await expect(p.run({ sleepMs: 5_000 })).rejects.toMatchObject({ code: 'unavailable', reason: 'timeout' });
    await expect.poll(() => alive(first.pid)).toBe(false);
    expect((await p.run({ echo: 'x' })).echo).toBe('x');
  });

  it('refuses a job at once when maxQueue jobs are waiting', async () => {
    const p = pool({ maxQueue: 2 });
    const waiting = [p.run({ sleepMs: 100 }), p.run({}), p.run({})];
    await expect(p.run({})).rejects.toMatchObject({ code: 'unavailable', reason: 'busy' });
    await Promise.all(waiting);
  });

  it('close() lets running and queued jobs finish, then ends every child; later jobs are refused', async () => {
    const p = pool({ size: 2 });
    const jobs = [p.run({ sleepMs: 100, echo: '1' }), p.run({ sleepMs: 100, echo: '2' }), p.run({ echo: '3' })];
    const pids = p.status().children.map((c) => c.pid!);
    expect(pids).toHaveLength(2);
    await p.close();
    expect((await Promise.all(jobs)).map((o) => o.echo)).toEqual(['1', '2', '3']);
    expect(pids.map(alive)).toEqual([false, false]);
    expect(p.status().children).toEqual([]);
    await expect(p.run({})).rejects.toMatchObject({ reason: 'closed' });
  });
});
