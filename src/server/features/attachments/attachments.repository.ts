import type { Executor } from '../../db/connect';
import type { AttachmentRow } from '../../db/database';

/** Attachments of an application, without their content. */
export function listAttachments(ex: Executor, applicationId: string) {
  return ex
    .selectFrom('attachments')
    .select(['id', 'application_id', 'file_name', 'mime', 'size', 'sha256', 'created_at'])
    .where('application_id', '=', applicationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function countAttachments(ex: Executor, applicationId: string) {
  return ex.selectFrom('attachments').select((eb) => eb.fn.countAll<number>().as('n')).where('application_id', '=', applicationId).executeTakeFirstOrThrow();
}

/** One attachment with content, only if it belongs to `applicationId`. */
export function findAttachment(ex: Executor, applicationId: string, id: string): Promise<AttachmentRow | undefined> {
  return ex.selectFrom('attachments').selectAll().where('id', '=', id).where('application_id', '=', applicationId).executeTakeFirst();
}

export async function insertAttachment(ex: Executor, row: AttachmentRow): Promise<void> {
  await ex.insertInto('attachments').values(row).execute();
}

export async function deleteAttachment(ex: Executor, applicationId: string, id: string): Promise<number> {
  const r = await ex.deleteFrom('attachments').where('id', '=', id).where('application_id', '=', applicationId).executeTakeFirst();
  return Number(r.numDeletedRows);
}
