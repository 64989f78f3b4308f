import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../http/context';
import { getCall, listCalls, viewCall } from './calls.service';

/** Public call pages: anyone may read a published call. */
export function callsRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app0) => {
    const app = app0.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/api/calls',
      {
        schema: {
          tags: ['calls'],
          summary: '申报批次列表',
          response: {
            200: z.array(
              z.object({
                code: z.string(),
                title: z.string(),
                window: z.object({ opens: z.string(), closes: z.string() }),
                implementationDeadline: z.string(),
                state: z.enum(['before', 'open', 'closed']),
                deadlineText: z.string(),
              }),
            ),
          },
        },
      },
      async () => listCalls(ctx),
    );
    app.get(
      '/api/calls/:code',
      { schema: { tags: ['calls'], summary: '申报通知（批次）详情', params: z.object({ code: z.string().max(64) }) } },
      async (request) => viewCall(ctx, await getCall(ctx, request.params.code)),
    );
  };
}
