import { describe, expect, it } from 'vitest';
import { mapOrdered } from './ordered-map';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('mapOrdered', () => {
  it('yields in input order with at most `concurrency` calls in flight, errors in their place', async () => {
    let running = 0;
    let peak = 0;
    const delays = [30, 5, 20, 1, 15, 2, 8];
    const out: string[] = [];
    for await (const o of mapOrdered(delays, 2, async (ms, i) => {
      running++;
      peak = Math.max(peak, running);
      await sleep(ms);
      running--;
      if (i === 3) throw new Error('boom');
      return `#${i}`;
    }))
      out.push(o.ok ? o.value : `error ${(o.error as Error).message} at ${o.index}`);
    expect(out).toEqual(['#0', '#1', '#2', 'error boom at 3', '#4', '#5', '#6']);
    expect(peak).toBe(2);
  });

  it('starts nothing more once stopped, and yields nothing after', async () => {
    const started: number[] = [];
    let stop = false;
    const got: number[] = [];
    for await (const o of mapOrdered([1, 2, 3, 4, 5, 6], 2, async (x) => {
      started.push(x);
      await sleep(5);
      return x;
    }, () => stop)) {
      got.push(o.ok ? o.value : -1);
      if (got.length === 2) stop = true;
    }
    expect(got).toEqual([1, 2]);
    // two calls stay in flight (3 and 4 started while 1 and 2 were handled); none after the stop
    expect(started).toEqual([1, 2, 3, 4]);
  });
});
