import { CompiledQuery, type Compilable, type QueryResult } from 'kysely';
import type { Dialect, Executor } from './connect';

/**
 * A query of the deadline-day hot path (session lookup, the save, the audit record), built
 * with Kysely's query builder as everywhere else, but compiled once per SQL dialect instead
 * of on every call: building and compiling a query was 14 % of a save's server time
 * (bench/RESULTS.md). `build` must turn every argument into one bound parameter (no arrays,
 * no argument that changes the SQL text); constants in the builder stay as they were
 * compiled. A shape whose arguments do not all appear as parameters is refused at first use.
 */
export interface PreparedQuery<A extends readonly unknown[], R> {
  /** Run with these argument values on the database or inside a transaction. */
  execute(ex: Executor, dialect: Dialect, ...args: A): Promise<QueryResult<R>>;
}

/** Sentinel values stand for the arguments while the shape is compiled. */
const sentinel = (i: number) => `\u0000shenbao-param-${i}\u0000`;

/** See {@link PreparedQuery}. `arity` is the number of arguments `build` takes. */
export function prepared<A extends readonly unknown[], R>(arity: A['length'], build: (ex: Executor, ...args: A) => Compilable<R>): PreparedQuery<A, R> {
  const shapes = new Map<Dialect, { sql: string; slots: ({ arg: number } | { value: unknown })[] }>();
  const shapeFor = (ex: Executor, dialect: Dialect) => {
    let shape = shapes.get(dialect);
    if (shape) return shape;
    const args = Array.from({ length: arity }, (_, i) => sentinel(i)) as unknown as A;
    const compiled = build(ex, ...args).compile();
    const slots = compiled.parameters.map((p) => {
      const arg = typeof p === 'string' ? args.indexOf(p as never) : -1;
      return arg >= 0 ? { arg } : { value: p };
    });
    const used = new Set(slots.flatMap((s) => ('arg' in s ? [s.arg] : [])));
    if (used.size !== arity) throw new Error(`prepared query: ${arity - used.size} argument(s) not bound as parameters in ${compiled.sql}`);
    shape = { sql: compiled.sql, slots };
    shapes.set(dialect, shape);
    return shape;
  };
  return {
    async execute(ex, dialect, ...args) {
      const { sql, slots } = shapeFor(ex, dialect);
      const parameters = slots.map((s) => ('arg' in s ? args[s.arg] : s.value));
      return (await ex.executeQuery(CompiledQuery.raw(sql, parameters))) as QueryResult<R>;
    },
  };
}
