import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ZCallDefinition, type TCallDefinition } from '../../../domain/calls/call';
import { formatDeadline, windowState } from '../../../domain/deadline';
import { NotFound } from '../../../domain/errors';
import type { AppContext } from '../../http/context';
import type { Executor } from '../../db/connect';
import * as repo from './calls.repository';

/** A call with where the server's clock stands in its window. */
export type CallView = TCallDefinition & { state: 'before' | 'open' | 'closed'; deadlineText: string };

const cache = new Map<string, { raw: string; def: TCallDefinition }>();

function parse(code: string, raw: string): TCallDefinition {
  const hit = cache.get(code);
  if (hit && hit.raw === raw) return hit.def;
  const def = ZCallDefinition.parse(JSON.parse(raw));
  cache.set(code, { raw, def });
  return def;
}

/**
 * The call definition with `code`. Inside a transaction pass it as `ex` (the embedded
 * SQLite database has one connection: a query outside the open transaction would wait
 * for it forever). Errors: NotFound.
 */
export async function getCall(ctx: AppContext, code: string, ex: Executor = ctx.db): Promise<TCallDefinition> {
  let recent = recentCalls.get(ctx.db);
  const hit = recent?.get(code);
  // real time on purpose: this is a cache, not the call's clock
  if (hit && Date.now() - hit.at < CALL_CACHE_MS) return hit.def;
  const row = await repo.findCallRow(ex, code);
  if (!row) throw new NotFound(`没有编号为 ${code} 的申报批次`);
  const def = parse(code, row.definition);
  if (!recent) recentCalls.set(ctx.db, (recent = new Map()));
  recent.set(code, { def, at: Date.now() });
  return def;
}

/**
 * The call definitions with `codes` (repeats allowed), by code: those not read within
 * {@link CALL_CACHE_MS} are read in one query, so a list of many applications never reads
 * its calls one by one. Errors: NotFound (a code without a call).
 */
export async function getCalls(ctx: AppContext, codes: Iterable<string>, ex: Executor = ctx.db): Promise<Map<string, TCallDefinition>> {
  let recent = recentCalls.get(ctx.db);
  const out = new Map<string, TCallDefinition>();
  const missing: string[] = [];
  for (const code of new Set(codes)) {
    const hit = recent?.get(code);
    // real time on purpose: this is a cache, not the call's clock
    if (hit && Date.now() - hit.at < CALL_CACHE_MS) out.set(code, hit.def);
    else missing.push(code);
  }
  if (missing.length === 0) return out;
  const rows = await repo.findCallRows(ex, missing);
  if (!recent) recentCalls.set(ctx.db, (recent = new Map()));
  for (const row of rows) {
    const def = parse(row.code, row.definition);
    recent.set(row.code, { def, at: Date.now() });
    out.set(row.code, def);
  }
  const absent = missing.find((c) => !out.has(c));
  if (absent !== undefined) throw new NotFound(`没有编号为 ${absent} 的申报批次`);
  return out;
}

/**
 * Call definitions change rarely (seeding, a funder's edit) but are read on every save:
 * each server process keeps one for this long before reading it again, so another
 * instance's change is seen within this time.
 */
export const CALL_CACHE_MS = 5_000;
const recentCalls = new WeakMap<object, Map<string, { def: TCallDefinition; at: number }>>();

/** The call as the API shows it, with `state` and the deadline text in 北京时间. */
export function viewCall(ctx: AppContext, def: TCallDefinition): CallView {
  return { ...def, state: windowState(ctx.clock.now(), def.window), deadlineText: formatDeadline(def.window.closes) };
}

export async function listCalls(ctx: AppContext): Promise<CallView[]> {
  const rows = await repo.listCallRows(ctx.db);
  return rows.map((r) => viewCall(ctx, parse(r.code, r.definition)));
}

/**
 * Load every call definition file of `dir` (default `calls/`) into the database, checked by
 * ZCallDefinition. Returns the codes loaded.
 */
export async function seedCalls(ctx: AppContext, dir = path.resolve('calls')): Promise<string[]> {
  const codes: string[] = [];
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const def = ZCallDefinition.parse(JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
    await repo.upsertCall(ctx.db, def.code, JSON.stringify(def), ctx.clock.now().toISOString());
    recentCalls.get(ctx.db)?.delete(def.code);
    codes.push(def.code);
  }
  return codes;
}
