import type { Executor } from '../../db/connect';
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

/**
 * The audit INSERT compiled once, for the save's hot path (src/server/db/prepared.ts):
 * arguments in column order, details as JSON text. Elsewhere {@link insertAudit}.
 */
export const insertAuditRow = prepared(8, (ex, at: string, actor: string | null, org: string | null, action: string, entityType: string, entityId: string | null, details: string, ip: string | null) =>
  ex.insertInto('audit_log').values({ at, actor_user_id: actor, organisation_id: org, action, entity_type: entityType, entity_id: entityId, details, ip }),
);

/** Write an audit record; call it with the same transaction as the change it records. */
export async function insertAudit(ex: Executor, e: AuditEntry): Promise<void> {
  await ex
    .insertInto('audit_log')
    .values({
      at: e.at.toISOString(),
      actor_user_id: e.actorUserId,
      organisation_id: e.organisationId,
      action: e.action,
      entity_type: e.entityType,
      entity_id: e.entityId,
      details: JSON.stringify(e.details ?? {}),
      ip: e.ip ?? null,
    })
    .execute();
}

/** Audit records of one object, oldest first. */
export async function listAudit(ex: Executor, entityType: string, entityId: string): Promise<AuditRow[]> {
  return ex.selectFrom('audit_log').selectAll().where('entity_type', '=', entityType).where('entity_id', '=', entityId).orderBy('id').execute();
}
