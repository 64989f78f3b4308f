import { createHash, randomUUID } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { Conflict, DomainError, NotFound } from '../../../domain/errors';
import { ATTACHMENT_LIMIT_TEXT, LIMITS } from '../../../domain/form/limits';
import { isNotForOneLineName } from '../../../domain/form/rules';
import { EDITABLE_STATUSES, type TApplicationStatus } from '../../../domain/lifecycle';
import type { Actor, AppContext } from '../../http/context';
import { insertAudit } from '../audit/audit.repository';
import { getCall } from '../calls/calls.service';
import { assertWindowNotClosed, loadReadableApplication, loadWritableApplication } from '../applications/applications.service';
import * as repo from './attachments.repository';

/** Accepted attachment types, by detected content (never by extension): PDF, Word, images. */
export const ACCEPTED_TYPES: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word (.docx)',
  'application/x-cfb': 'Word (.doc)',
  'image/png': 'PNG 图片',
  'image/jpeg': 'JPEG 图片',
  'image/webp': 'WebP 图片',
};

/** An attachment as the API shows it. */
export interface AttachmentView {
  id: string;
  fileName: string;
  size: number;
  mime: string;
  uploadedAt: string;
}

/**
 * Keep the original file name as typed (Chinese, commas, full-width punctuation): slashes
 * become full-width ／ ＼ (so no name is a path, and "a</b>.pdf" keeps all its text),
 * characters that have no place in a one-line name (control, invisible and direction
 * characters, which can disguise "exe.pdf": domain isNotForOneLineName) are removed;
 * at most 200 characters.
 */
export function cleanFileName(name: string): string {
  const kept = Array.from(name.replace(/\//g, '／').replace(/\\/g, '＼'))
    .filter((ch) => !isNotForOneLineName(ch))
    .join('')
    .trim();
  const cleaned = Array.from(kept).slice(0, 200).join('');
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? '附件' : cleaned;
}

const view = (r: { id: string; file_name: string; size: number; mime: string; created_at: string }): AttachmentView => ({
  id: r.id,
  fileName: r.file_name,
  size: Number(r.size),
  mime: r.mime,
  uploadedAt: r.created_at,
});

export async function listAttachments(ctx: AppContext, actor: Actor, applicationId: string): Promise<AttachmentView[]> {
  await loadReadableApplication(ctx.db, ctx, actor, applicationId);
  return (await repo.listAttachments(ctx.db, applicationId)).map(view);
}

/**
 * Store an uploaded file for an editable application (draft, window not closed). The type
 * is detected from the content. Errors: DomainError `payload_too_large` (413),
 * `unsupported_media_type` (415), Conflict (too many, not editable), DeadlinePassed.
 */
export async function addAttachment(ctx: AppContext, actor: Actor, applicationId: string, file: { fileName: string; content: Buffer; truncated: boolean }): Promise<AttachmentView> {
  if (file.truncated || file.content.length > LIMITS.attachmentBytes)
    throw new DomainError(`附件不能超过 ${ATTACHMENT_LIMIT_TEXT}`, 'payload_too_large', { limitBytes: LIMITS.attachmentBytes });
  if (file.content.length === 0) throw new DomainError('附件是空文件', 'unsupported_media_type');
  const detected = await fileTypeFromBuffer(file.content);
  if (!detected || !ACCEPTED_TYPES[detected.mime])
    throw new DomainError(`不支持的附件类型（按文件内容识别为 ${detected?.mime ?? '未知类型'}）。可上传 PDF、Word 文档或图片（PNG、JPEG、WebP）`, 'unsupported_media_type', {
      accepted: Object.values(ACCEPTED_TYPES),
    });
  const mime = detected.mime === 'application/x-cfb' ? 'application/msword' : detected.mime;
  // one instant, checked against the deadline and stamped (the upload is received when whole)
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const app = await loadWritableApplication(trx, ctx, actor, applicationId);
    assertWindowNotClosed(await getCall(ctx, app.call_code, trx), at);
    if (!EDITABLE_STATUSES.includes(app.status as TApplicationStatus)) throw new Conflict('申报书已提交，不能再增删附件；如需修改请先撤回', 'not_editable');
    const { n } = await repo.countAttachments(trx, applicationId);
    if (Number(n) >= LIMITS.attachments) throw new Conflict(`每份申报书最多 ${LIMITS.attachments} 个附件`, 'conflict');
    const row = {
      id: randomUUID(),
      application_id: applicationId,
      file_name: cleanFileName(file.fileName),
      mime,
      size: file.content.length,
      sha256: createHash('sha256').update(file.content).digest('hex'),
      content: file.content,
      uploaded_by: actor.userId,
      created_at: at.toISOString(),
    };
    await repo.insertAttachment(trx, row);
    await insertAudit(trx, {
      at,
      actorUserId: actor.userId,
      organisationId: app.organisation_id,
      action: 'attachment.add',
      entityType: 'application',
      entityId: applicationId,
      details: { attachmentId: row.id, fileName: row.file_name, size: row.size, mime, sha256: row.sha256 },
      ip: actor.ip,
    });
    return view(row);
  });
}

/** One attachment with its bytes, if the actor may read the application. Errors: NotFound. */
export async function getAttachment(ctx: AppContext, actor: Actor, applicationId: string, attachmentId: string) {
  await loadReadableApplication(ctx.db, ctx, actor, applicationId);
  const a = await repo.findAttachment(ctx.db, applicationId, attachmentId);
  if (!a) throw new NotFound('未找到该附件');
  return a;
}

/** Remove an attachment of an editable application. Errors as {@link addAttachment}, NotFound. */
export async function removeAttachment(ctx: AppContext, actor: Actor, applicationId: string, attachmentId: string): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const app = await loadWritableApplication(trx, ctx, actor, applicationId);
    assertWindowNotClosed(await getCall(ctx, app.call_code, trx), at);
    if (!EDITABLE_STATUSES.includes(app.status as TApplicationStatus)) throw new Conflict('申报书已提交，不能再增删附件；如需修改请先撤回', 'not_editable');
    const n = await repo.deleteAttachment(trx, applicationId, attachmentId);
    if (!n) throw new NotFound('未找到该附件');
    await insertAudit(trx, { at, actorUserId: actor.userId, organisationId: app.organisation_id, action: 'attachment.remove', entityType: 'application', entityId: applicationId, details: { attachmentId }, ip: actor.ip });
  });
}
