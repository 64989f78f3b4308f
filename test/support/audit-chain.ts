import type { Kysely } from 'kysely';
import type { Database } from '../../src/server/db/database';

/** One change of an application as its audit log tells it, in commit order. */
export interface ChainStep {
  action: 'application.create' | 'application.save' | 'application.submit' | 'application.withdraw';
  /** the version the change produced */
  version: number;
  at: string;
  actorUserId: string | null;
  organisationId: string | null;
  details: any;
}

/** An application's stored row and its audit chain, with what is wrong with them (empty: nothing). */
export interface Chain {
  id: string;
  row: { version: number; status: string; data: string; submitted_data: string | null; number: string | null; organisation_id: string; updated_at: string };
  steps: ChainStep[];
  /** held 申报专项 (application_subprogrammes), sorted */
  held: string[];
  problems: string[];
}

const WRITES = ['application.create', 'application.save', 'application.submit', 'application.withdraw'];

/**
 * Read each application and its audit records and check that they tell one story: the
 * versions of the writes (create 1, then each save, submit and withdrawal one more) follow
 * each other without a gap or a repeat and end at the row's version; the status is the last
 * submit/withdrawal's; the held 专项 are the ones the data names; every record is the
 * application's organisation's. What the caller acknowledged is checked by the caller.
 */
export async function auditChains(db: Kysely<Database>, ids: string[]): Promise<Map<string, Chain>> {
  const out = new Map<string, Chain>();
  for (let i = 0; i < ids.length; i += 200) {
    const chunk = ids.slice(i, i + 200);
    const rows = await db.selectFrom('applications').select(['id', 'version', 'status', 'data', 'submitted_data', 'number', 'organisation_id', 'updated_at']).where('id', 'in', chunk).execute();
    const audits = await db
      .selectFrom('audit_log')
      .select(['id', 'entity_id', 'action', 'details', 'at', 'actor_user_id', 'organisation_id'])
      .where('entity_type', '=', 'application')
      .where('entity_id', 'in', chunk)
      .where('action', 'in', WRITES)
      .orderBy('id')
      .execute();
    const held = await db.selectFrom('application_subprogrammes').select(['application_id', 'sub_programme']).where('application_id', 'in', chunk).execute();
    for (const id of chunk) {
      const row = rows.find((r) => r.id === id);
      const problems: string[] = [];
      const steps: ChainStep[] = [];
      if (!row) {
        out.set(id, { id, row: undefined as never, steps, held: [], problems: ['row missing'] });
        continue;
      }
      let v = 0;
      let status = 'draft';
      for (const a of audits.filter((x) => x.entity_id === id)) {
        const d = JSON.parse(a.details);
        let version: number;
        if (a.action === 'application.create') {
          if (v !== 0) problems.push(`audit ${a.id}: a second create`);
          version = 1;
        } else if (a.action === 'application.save') {
          if (d.fromVersion !== v || d.toVersion !== v + 1) problems.push(`audit ${a.id}: save ${d.fromVersion}→${d.toVersion} after version ${v}`);
          if (status !== 'draft') problems.push(`audit ${a.id}: save ${d.fromVersion}→${d.toVersion} of a ${status} application`);
          version = d.toVersion;
        } else if (a.action === 'application.submit') {
          if (d.version !== v + 1) problems.push(`audit ${a.id}: submit to version ${d.version} after version ${v}`);
          if (status !== 'draft') problems.push(`audit ${a.id}: submit of a ${status} application`);
          status = 'submitted';
          version = d.version;
        } else {
          if (status !== 'submitted') problems.push(`audit ${a.id}: withdrawal of a ${status} application`);
          status = 'draft';
          version = v + 1;
        }
        if (a.organisation_id !== row.organisation_id) problems.push(`audit ${a.id}: ${a.action} recorded for organisation ${a.organisation_id}, the application is ${row.organisation_id}'s`);
        v = version;
        steps.push({ action: a.action as ChainStep['action'], version, at: a.at, actorUserId: a.actor_user_id, organisationId: a.organisation_id, details: d });
      }
      if (v !== row.version) problems.push(`row at version ${row.version}, its audit chain ends at ${v}`);
      if (status !== row.status) problems.push(`row ${row.status}, its audit chain says ${status}`);
      if (row.status === 'submitted' && row.submitted_data !== row.data) problems.push('submitted, but its data is not the submitted snapshot');
      const inData = [...new Set<string>(JSON.parse(row.data).subProgrammes ?? [])].sort();
      const inTable = held.filter((h) => h.application_id === id).map((h) => h.sub_programme).sort();
      if (inData.join() !== inTable.join()) problems.push(`data names 专项 [${inData}], held [${inTable}]`);
      out.set(id, { id, row, steps, held: inTable, problems });
    }
  }
  return out;
}

/** The problems of every chain, one line each, for an assertion message. */
export function chainProblems(chains: Map<string, Chain>): string[] {
  return [...chains.values()].flatMap((c) => c.problems.map((p) => `${c.id}: ${p}`));
}
