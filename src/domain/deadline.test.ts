import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CALL_2023 } from './calls/call-2023';
import { fixedClock, simulatedClock, systemClock } from './clock';
import {
  beijingDate,
  beijingParts,
  deadlineInstant,
  endOfBeijingDayExclusive,
  formatBeijing,
  formatChineseDate,
  formatDeadline,
  isIsoDate,
  isIsoMonth,
  monthIndex,
  startOfBeijingDay,
  windowState,
} from './deadline';
import { REPO_ROOT } from '../../test/support/domain-fixtures';

const W = CALL_2023.window;

describe('the 2023 window (2023-04-28 to 2023-05-19, 北京时间)', () => {
  it('is the call definition', () => {
    expect(W).toEqual({ opens: '2023-04-28', closes: '2023-05-19' });
    expect(CALL_2023.implementationDeadline).toBe('2023-11-30');
  });

  it.each([
    ['2023-04-27T23:59:59+08:00', 'before'],
    ['2023-04-27T23:59:59.999+08:00', 'before'],
    ['2023-04-28T00:00:00+08:00', 'open'],
    ['2023-04-27T16:00:00Z', 'open'],
    ['2023-05-19T23:59:59+08:00', 'open'],
    ['2023-05-19T23:59:59.999+08:00', 'open'],
    ['2023-05-19T15:59:59.999Z', 'open'],
    ['2023-05-20T00:00:00+08:00', 'closed'],
    ['2023-05-19T16:00:00Z', 'closed'],
    ['2023-05-19T11:00:00-05:00', 'closed'], // Chicago evening of the 19th is already the 20th in Beijing
    ['2023-06-01T00:00:00+08:00', 'closed'],
  ] as const)('%s is %s', (instant, state) => {
    expect(windowState(new Date(instant), W)).toBe(state);
  });

  it('takes full ISO instants as window ends as they are', () => {
    const w = { opens: '2023-04-28T09:00:00+08:00', closes: '2023-05-19T17:00:00+08:00' };
    expect(windowState(new Date('2023-04-28T08:59:59+08:00'), w)).toBe('before');
    expect(windowState(new Date('2023-04-28T09:00:00+08:00'), w)).toBe('open');
    expect(windowState(new Date('2023-05-19T16:59:59+08:00'), w)).toBe('open');
    expect(windowState(new Date('2023-05-19T17:00:00+08:00'), w)).toBe('closed');
  });

  it('formats the deadline as the last second that counts', () => {
    expect(formatDeadline('2023-05-19')).toBe('2023年5月19日 23:59:59（北京时间）');
    expect(formatDeadline('2023-12-31')).toBe('2023年12月31日 23:59:59（北京时间）');
  });
});

describe('Beijing days and instants', () => {
  it('startOfBeijingDay / endOfBeijingDayExclusive / deadlineInstant', () => {
    expect(startOfBeijingDay('2023-04-28').toISOString()).toBe('2023-04-27T16:00:00.000Z');
    expect(endOfBeijingDayExclusive('2023-05-19').toISOString()).toBe('2023-05-19T16:00:00.000Z');
    expect(deadlineInstant('2023-05-19').toISOString()).toBe('2023-05-19T16:00:00.000Z');
    expect(deadlineInstant('2023-05-19T12:00:00+08:00').toISOString()).toBe('2023-05-19T04:00:00.000Z');
    expect(() => startOfBeijingDay('2023-02-30')).toThrow('not a date: 2023-02-30');
  });

  it('beijingParts / beijingDate / formatBeijing read the Beijing calendar', () => {
    const t = new Date('2023-05-19T16:30:05Z');
    expect(beijingParts(t)).toEqual({ year: 2023, month: 5, day: 20, hour: 0, minute: 30, second: 5 });
    expect(beijingDate(t)).toBe('2023-05-20');
    expect(formatBeijing(t)).toBe('2023年5月20日 00:30:05（北京时间）');
    expect(formatBeijing(t, { seconds: false, suffix: false })).toBe('2023年5月20日 00:30');
    expect(beijingDate(new Date('2022-12-31T16:00:00Z'))).toBe('2023-01-01');
  });

  it('formatChineseDate', () => {
    expect(formatChineseDate('2023-05-09')).toBe('2023年5月9日');
    expect(formatChineseDate('not a date')).toBe('not a date');
  });
});

describe('isIsoDate / isIsoMonth / monthIndex', () => {
  it('accepts real calendar dates only', () => {
    expect(isIsoDate('2023-05-12')).toBe(true);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2023-02-30')).toBe(false);
    expect(isIsoDate('2023-04-31')).toBe(false);
    expect(isIsoDate('2023-13-01')).toBe(false);
    expect(isIsoDate('2023-00-10')).toBe(false);
    expect(isIsoDate('2023-05-00')).toBe(false);
    expect(isIsoDate('2023/05/12')).toBe(false);
    expect(isIsoDate('2023-5-12')).toBe(false);
    expect(isIsoDate('2023-05-12T00:00:00')).toBe(false);
    expect(isIsoDate(' 2023-05-12')).toBe(false);
    expect(isIsoDate(20230512)).toBe(false);
    expect(isIsoDate(undefined)).toBe(false);
  });

  it('accepts YYYY-MM months only', () => {
    expect(isIsoMonth('2023-06')).toBe(true);
    expect(isIsoMonth('2023-12')).toBe(true);
    expect(isIsoMonth('2023-13')).toBe(false);
    expect(isIsoMonth('2023-00')).toBe(false);
    expect(isIsoMonth('2023-6')).toBe(false);
    expect(isIsoMonth('2023-06-01')).toBe(false);
    expect(isIsoMonth('2023年6月')).toBe(false);
    expect(isIsoMonth(null)).toBe(false);
  });

  it('monthIndex compares months across years', () => {
    expect(monthIndex('2023-06')).toBe(monthIndex('2023-06-30'));
    expect(monthIndex('2024-01') - monthIndex('2023-12')).toBe(1);
    expect(monthIndex('2023-06')).toBe(2023 * 12 + 5);
  });
});

describe('clock', () => {
  it('fixedClock stands still and moves when told', () => {
    const c = fixedClock('2023-05-19T23:59:59+08:00');
    expect(c.simulated).toBe(true);
    expect(windowState(c.now(), W)).toBe('open');
    c.advance(1000);
    expect(c.now().toISOString()).toBe('2023-05-19T16:00:00.000Z');
    expect(windowState(c.now(), W)).toBe('closed');
    c.set('2023-04-28T00:00:00+08:00');
    expect(windowState(c.now(), W)).toBe('open');
  });

  it('simulatedClock starts at the given instant and runs on', () => {
    const c = simulatedClock(new Date('2023-05-01T00:00:00Z'));
    const t = c.now().getTime() - Date.parse('2023-05-01T00:00:00Z');
    expect(t).toBeGreaterThanOrEqual(0);
    expect(t).toBeLessThan(5000);
    expect(c.simulated).toBe(true);
    expect(systemClock.simulated).toBe(false);
  });
});

describe('time zone independence (child processes with different TZ)', () => {
  const run = promisify(execFile);
  const probe = path.join(REPO_ROOT, 'test/support/tz-probe.ts');
  const inZone = async (tz: string) => {
    const { stdout } = await run('npx', ['tsx', probe], { cwd: REPO_ROOT, env: { ...process.env, TZ: tz }, timeout: 60_000 });
    return JSON.parse(stdout.trim().split('\n').pop()!);
  };

  it('America/Chicago, UTC and Asia/Shanghai compute the same window, deadline and Beijing dates', async () => {
    const [chicago, utc, shanghai] = await Promise.all([inZone('America/Chicago'), inZone('UTC'), inZone('Asia/Shanghai')]);
    // the zones really differ (CDT is UTC−5 in May)
    expect([chicago.zone, chicago.offsetMinutes]).toEqual(['America/Chicago', 300]);
    expect([utc.zone, utc.offsetMinutes]).toEqual(['UTC', 0]);
    expect([shanghai.zone, shanghai.offsetMinutes]).toEqual(['Asia/Shanghai', -480]);
    const expected = {
      states: ['before', 'open', 'open', 'open', 'closed'],
      formatDeadline: '2023年5月19日 23:59:59（北京时间）',
      deadlineInstant: '2023-05-19T16:00:00.000Z',
      opens: '2023-04-27T16:00:00.000Z',
      beijingDate: '2023-05-20',
      formatBeijing: '2023年5月20日 00:30:00（北京时间）',
    };
    for (const r of [chicago, utc, shanghai]) {
      const { zone: _z, offsetMinutes: _o, ...rest } = r;
      expect(rest).toEqual(expected);
    }
  }, 90_000);
});
