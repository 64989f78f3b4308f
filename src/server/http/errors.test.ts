import { describe, expect, it } from 'vitest';
import { isDatabaseDown } from './errors';

describe('isDatabaseDown (503 instead of 500)', () => {
  it.each([
    ['pg: database not accepting connections (FATAL 55000)', { code: '55000', severity: 'FATAL', message: 'database "x" is not currently accepting connections' }],
    ['pg: terminated by pg_terminate_backend (57P01)', { code: '57P01', severity: 'FATAL', message: 'terminating connection due to administrator command' }],
    ['pg: starting up (57P03)', { code: '57P03', severity: 'FATAL' }],
    ['pg: connection failure (08006)', { code: '08006' }],
    ['pg: too many connections (53300)', { code: '53300', severity: 'FATAL' }],
    ['pg: database gone (FATAL 3D000)', { code: '3D000', severity: 'FATAL' }],
    ['pg pool: connect timeout', new Error('timeout exceeded when trying to connect')],
    ['pg: connection terminated', new Error('Connection terminated unexpectedly')],
    ['network: refused', { code: 'ECONNREFUSED' }],
    ['network: host unreachable', { code: 'EHOSTUNREACH' }],
    ['sqlite: busy', { code: 'SQLITE_BUSY' }],
    ['sqlite: write I/O error', { code: 'SQLITE_IOERR_WRITE' }],
    ['sqlite: disk full', { code: 'SQLITE_FULL' }],
  ])('%s', (_name, error) => expect(isDatabaseDown(error)).toBe(true));

  it.each([
    ['pg: unique violation (23505, ERROR)', { code: '23505', severity: 'ERROR', message: 'duplicate key value violates unique constraint' }],
    ['pg: 55000 as a statement error', { code: '55000', severity: 'ERROR' }],
    ['sqlite: constraint', { code: 'SQLITE_CONSTRAINT_UNIQUE' }],
    ['a programming error', new TypeError('x is undefined')],
    ['nothing', undefined],
  ])('not %s', (_name, error) => expect(isDatabaseDown(error)).toBe(false));
});
