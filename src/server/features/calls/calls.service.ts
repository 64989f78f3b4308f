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
  const row = await repo.findCallRow(ex, code);
  if (!row) throw new NotFound(`没有编号为 ${code} 的申报批次`);
  return parse(code, row.definition);
}

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
    codes.push(def.code);
  }
  return codes;
}
