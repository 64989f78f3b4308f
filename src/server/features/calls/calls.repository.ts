import type { Executor } from '../../db/connect';

export function findCallRow(ex: Executor, code: string) {
  return ex.selectFrom('calls').selectAll().where('code', '=', code).executeTakeFirst();
}

/** The calls with these codes, in one query (those that exist). */
export function findCallRows(ex: Executor, codes: readonly string[]) {
  if (codes.length === 0) return Promise.resolve([]);
  return ex.selectFrom('calls').selectAll().where('code', 'in', codes).execute();
}

export function listCallRows(ex: Executor) {
  return ex.selectFrom('calls').selectAll().orderBy('code', 'desc').execute();
}

/** Insert or replace a call definition. */
export async function upsertCall(ex: Executor, code: string, definition: string, nowIso: string): Promise<void> {
  const existing = await findCallRow(ex, code);
  if (existing) await ex.updateTable('calls').set({ definition, updated_at: nowIso }).where('code', '=', code).execute();
  else await ex.insertInto('calls').values({ code, definition, created_at: nowIso, updated_at: nowIso }).execute();
}
