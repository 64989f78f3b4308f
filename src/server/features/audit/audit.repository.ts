import type { Dialect, Executor } from '../../db/connect';
import { prepared } from '../../db/prepared';
import type { AuditRow } from '../../db/database';

/** One audit record: who did what to which object, with details (JSON-serialisable). */
export interface AuditEntry {
  at: Date;
  actorUserId: string | null;
  organisationId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  details?: Record<string, unknown>;
  ip?: string | null;
}

/** The audit INSERT compiled once (arguments in column order; details as JSON text). */
export const insertAuditRow = prepared(8, (ex, at: string, actor: string | null, org: string | null, action: string, entityType: string, entityId: string | null, details: string, ip: string | null) =>
  ex.insertInto('audit_log').values({ at, actor_user_id: actor, organisation_id: org, action, entity_type: entityType, entity_id: entityId, details, ip }),
);

/**
 * Write an audit record; call it with the same transaction as the change it records.
 * `dialect` (the context's) runs it as a query compiled once (the save's hot path).
 */
export async function insertAudit(ex: Executor, e: AuditEntry, dialect?: Dialect): Promise<void> {
  const values = [e.at.toISOString(), e.actorUserId, e.organisationId, e.action, e.entityType, e.entityId, JSON.stringify(e.details ?? {}), e.ip ?? null] as const;
  if (dialect) {
    await insertAuditRow.execute(ex, dialect, ...values);
    return;
  }
  const [at, actor_user_id, organisation_id, action, entity_type, entity_id, details, ip] = values;
  await ex.insertInto('audit_log').values({ at, actor_user_id, organisation_id, action, entity_type, entity_id, details, ip }).execute();
}

/** Audit records of one object, oldest first. */
export async function listAudit(ex: Executor, entityType: string, entityId: string): Promise<AuditRow[]> {
  return ex.selectFrom('audit_log').selectAll().where('entity_type', '=', entityType).where('entity_id', '=', entityId).orderBy('id').execute();
}
