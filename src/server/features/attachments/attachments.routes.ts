import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import contentDisposition from 'content-disposition';
import { z } from 'zod';
import { ZAttachment } from '../../../domain/api';
import { DomainError } from '../../../domain/errors';
import { LIMITS } from '../../../domain/form/limits';
import type { AppContext } from '../../http/context';
import { requireActor } from '../../http/session';
import * as svc from './attachments.service';

const ZParams = z.object({ id: z.string().uuid({ message: '申报书编号格式不正确' }) });
const ZParams2 = ZParams.extend({ attachmentId: z.string().uuid({ message: '附件编号格式不正确' }) });

/**
 * A multipart body the parser cannot read (no boundary, cut off, broken headers) is the
 * client's mistake: 400, not the parser's bare Error as a 500. Errors that already carry
 * an HTTP status (limits, content type) pass through.
 */
function malformedUpload(e: unknown): never {
  if (e instanceof DomainError || typeof (e as { statusCode?: unknown })?.statusCode === 'number') throw e;
  throw new DomainError('上传的数据格式不正确，无法读取文件（multipart/form-data），请重新选择文件上传', 'invalid');
}

/** 附页: upload (multipart field `file`), list, download, delete. */
export function attachmentsRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app0) => {
    const app = app0.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/api/applications/:id/attachments',
      { schema: { tags: ['attachments'], summary: '附件列表', params: ZParams, response: { 200: z.array(ZAttachment) } } },
      async (request) => svc.listAttachments(ctx, requireActor(request), request.params.id),
    );

    app.post(
      '/api/applications/:id/attachments',
      {
        schema: {
          tags: ['attachments'],
          summary: `上传附件（multipart 字段 file；PDF、Word、图片；不超过 ${LIMITS.attachmentBytes / 1024 / 1024} MB）`,
          params: ZParams,
          response: { 201: ZAttachment },
        },
      },
      async (request, reply) => {
        const actor = requireActor(request);
        if (!request.isMultipart()) throw new DomainError('请以 multipart/form-data 上传，文件字段名为 file', 'unsupported_media_type');
        // every part is read: a second file is refused, not silently dropped
        let upload: { fileName: string; content: Buffer | null; truncated: boolean } | null = null;
        try {
          for await (const part of request.parts({ limits: { fileSize: LIMITS.attachmentBytes, files: 1, fields: 5 } })) {
            if (part.type !== 'file') continue;
            if (part.fieldname !== 'file') throw new DomainError('请选择要上传的文件（字段名 file）', 'invalid');
            const content = await part.toBuffer().catch((e: { code?: string }) => {
              if (e?.code === 'FST_REQ_FILE_TOO_LARGE') return null;
              return malformedUpload(e);
            });
            upload = { fileName: part.filename, content, truncated: content === null || part.file.truncated };
          }
        } catch (e) {
          const code = (e as { code?: string })?.code;
          // over the size limit: the service refuses it with the limit in the message (413)
          if (code === 'FST_REQ_FILE_TOO_LARGE' && upload?.truncated) upload = { ...upload, content: null };
          else if (code === 'FST_FILES_LIMIT') throw new DomainError('一次只能上传一个文件，请逐个上传', 'invalid', { problems: [{ path: 'file', message: '一次只能上传一个文件' }] });
          else malformedUpload(e);
        }
        if (!upload) throw new DomainError('请选择要上传的文件（字段名 file）', 'invalid');
        const view = await svc.addAttachment(ctx, actor, request.params.id, {
          fileName: upload.fileName,
          content: upload.content ?? Buffer.alloc(0),
          truncated: upload.truncated,
        });
        return reply.status(201).send(view);
      },
    );

    app.get(
      '/api/applications/:id/attachments/:attachmentId',
      { schema: { tags: ['attachments'], summary: '下载附件（保留原文件名）', params: ZParams2 } },
      async (request, reply) => {
        const a = await svc.getAttachment(ctx, requireActor(request), request.params.id, request.params.attachmentId);
        reply
          .header('content-type', a.mime)
          .header('content-disposition', contentDisposition(a.file_name, { type: 'attachment' }))
          .header('cache-control', 'private, no-store');
        return reply.send(Buffer.from(a.content));
      },
    );

    app.delete(
      '/api/applications/:id/attachments/:attachmentId',
      { schema: { tags: ['attachments'], summary: '删除附件', params: ZParams2 } },
      async (request, reply) => {
        await svc.removeAttachment(ctx, requireActor(request), request.params.id, request.params.attachmentId);
        return reply.status(204).send();
      },
    );
  };
}
