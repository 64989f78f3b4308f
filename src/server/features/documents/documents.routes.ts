import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import contentDisposition from 'content-disposition';
import { z } from 'zod';
import type { AppContext } from '../../http/context';
import { closePdfRenderer } from '../../documents/pdf/render-pdf';
import { headNotAllowed } from '../../http/head';
import { requireActor } from '../../http/session';
import { authoriseDocument, renderPdf, renderDocx } from './documents.service';

const ZParams = z.object({ id: z.string().uuid({ message: '申报书编号格式不正确' }) });

/** The printed 申报书: PDF (inline) and Word copy (download). Closing the app ends the PDF renderer children. */
export function documentsRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app0) => {
    const app = app0.withTypeProvider<ZodTypeProvider>();
    // PDFs are typeset in child processes (render-pdf.ts): end them with the server
    app.addHook('onClose', closePdfRenderer);
    app.get(
      '/api/applications/:id/pdf',
      // no automatic HEAD route: it would typeset the whole document and discard it (see the HEAD route below)
      { exposeHeadRoute: false, schema: { tags: ['documents'], summary: '申报书 PDF（已提交的按提交时的内容生成；草稿带“草稿”水印）', params: ZParams } },
      async (request, reply) => {
        const doc = await renderPdf(ctx, requireActor(request), request.params.id);
        reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', contentDisposition(doc.fileName, { type: 'inline' }))
          .header('cache-control', 'private, no-store')
          .header('x-content-hash', doc.contentHash);
        return reply.send(Buffer.from(doc.bytes));
      },
    );
    app.get(
      '/api/applications/:id/docx',
      { exposeHeadRoute: false, schema: { tags: ['documents'], summary: '申报书 Word 副本', params: ZParams } },
      async (request, reply) => {
        const doc = await renderDocx(ctx, requireActor(request), request.params.id);
        reply
          .header('content-type', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
          .header('content-disposition', contentDisposition(doc.fileName, { type: 'attachment' }))
          .header('cache-control', 'private, no-store');
        return reply.send(Buffer.from(doc.bytes));
      },
    );
    // HEAD on either document: GET's authorisation (401, 404, 400 for a bad id), then 405 +
    // Allow: GET for whoever GET would serve, without typesetting anything (http/head.ts)
    for (const ext of ['pdf', 'docx'])
      app.head(`/api/applications/:id/${ext}`, { schema: { params: ZParams } }, async (request, reply) => {
        await authoriseDocument(ctx, requireActor(request), request.params.id);
        return headNotAllowed(reply);
      });
  };
}
