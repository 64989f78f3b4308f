import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import contentDisposition from 'content-disposition';
import { z } from 'zod';
import { APPLICATION_STATUSES } from '../../../domain/lifecycle';
import type { AppContext } from '../../http/context';
import { headNotAllowed } from '../../http/head';
import { requireActor } from '../../http/session';
import * as svc from './exports.service';

const EXPORT_STATUSES = APPLICATION_STATUSES.filter((s): s is svc.TExportStatus => s !== 'draft');
const ZParams = z.object({ callCode: z.string().max(64) });
const ZQuery = z.object({
  status: z.enum(EXPORT_STATUSES as [svc.TExportStatus, ...svc.TExportStatus[]], { message: '状态应为草稿以外的申报书状态' }).optional(),
});

/** Header naming how many applications an export holds (the web client's progress shows it). */
export const EXPORT_COUNT_HEADER = 'x-export-count';

function sendDownload(reply: FastifyReply, d: svc.ExportDownload, contentType: string) {
  return reply
    .header('content-type', contentType)
    .header('content-disposition', contentDisposition(d.fileName, { type: 'attachment' }))
    .header('cache-control', 'private, no-store')
    .header(EXPORT_COUNT_HEADER, String(d.count))
    .send(d.stream);
}

/** The two exports: where, what the OpenAPI document says, which service and content type. */
const EXPORTS = [
  {
    url: '/api/calls/:callCode/exports/applications.xlsx',
    summary: '申报汇总 Excel（项目管理员）：每份已提交的申报书一行，按申报编号排序',
    run: svc.exportApplicationsXlsx,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  },
  {
    url: '/api/calls/:callCode/exports/documents.zip',
    summary: '全部申报书 PDF 压缩包（项目管理员）：每份已提交的申报书按提交时的内容打印，逐份生成、逐份发送',
    run: svc.exportDocumentsZip,
    contentType: 'application/zip',
  },
] as const;

/** The funder's exports of a call (funder admins only): the .xlsx summary and the .zip of printed 申报书. */
export function exportsRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app0) => {
    const app = app0.withTypeProvider<ZodTypeProvider>();
    for (const e of EXPORTS) {
      app.get(
        e.url,
        {
          // Fastify's automatic HEAD route would run the export and discard it (rendering every PDF, auditing an export)
          exposeHeadRoute: false,
          schema: { tags: ['exports'], summary: e.summary, params: ZParams, querystring: ZQuery },
        },
        async (request, reply) => sendDownload(reply, await e.run(ctx, requireActor(request), request.params.callCode, request.query), e.contentType),
      );
      // HEAD: GET's checks (401, 403, 404, 400 for a bad filter), then 405 + Allow: GET without exporting (http/head.ts)
      app.head(e.url, { schema: { params: ZParams, querystring: ZQuery } }, async (request, reply) => {
        await svc.authoriseExport(ctx, requireActor(request), request.params.callCode);
        return headNotAllowed(reply);
      });
    }
  };
}
