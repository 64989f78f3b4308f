import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZApplicationData } from '../../../domain/form/application';
import { APPLICATION_STATUSES } from '../../../domain/lifecycle';
import { ORGANISATION_FILTER_MAX, ZApplicationSummary, ZApplicationView, ZSaveResult, ZSubmitResult, ZWithdrawResult } from '../../../domain/api';
import type { AppContext } from '../../http/context';
import { requireActor } from '../../http/session';
import * as svc from './applications.service';

const ZId = z.object({ id: z.string().uuid({ message: '申报书编号格式不正确' }) });

/** The applicant's application routes (route → service → repository). */
export function applicationsRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app0) => {
    const app = app0.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/api/applications',
      {
        schema: {
          tags: ['applications'],
          summary: '新建申报书（草稿）',
          body: z.strictObject({ callCode: z.string().max(64), data: ZApplicationData }),
          response: { 201: ZApplicationView },
        },
      },
      async (request, reply) => {
        const view = await svc.createApplication(ctx, requireActor(request), request.body);
        return reply.status(201).send(view);
      },
    );

    app.get(
      '/api/applications',
      {
        schema: {
          tags: ['applications'],
          summary: '申报书列表：申报单位管理员看到本单位的全部申报书，资助方管理员看到各单位已提交的申报书（可按申报单位查找）',
          querystring: z.object({
            callCode: z.string().max(64).optional(),
            status: z.enum(APPLICATION_STATUSES).optional(),
            organisationId: z.string().max(64).optional(),
            organisation: z
              .string()
              .max(ORGANISATION_FILTER_MAX, { error: `申报单位（名称或统一社会信用代码）最多 ${ORGANISATION_FILTER_MAX} 个字符` })
              .optional()
              .describe(`申报单位：名称中的一段（英文字母不分大小写，% _ \\ 按字面匹配）或统一社会信用代码的开头；最多 ${ORGANISATION_FILTER_MAX} 个字符`),
          }),
          response: {
            200: z.array(ZApplicationSummary),
          },
        },
      },
      async (request) => svc.listApplications(ctx, requireActor(request), request.query),
    );

    app.get(
      '/api/applications/:id',
      { schema: { tags: ['applications'], summary: '申报书详情', params: ZId, response: { 200: ZApplicationView } } },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return svc.getApplication(ctx, requireActor(request), request.params.id);
      },
    );

    app.put(
      '/api/applications/:id',
      {
        schema: {
          tags: ['applications'],
          summary: '保存申报书（携带所依据的版本号；版本过期返回 409）。不返回规则检查结果：草稿允许有错误，GET 与提交时返回',
          params: ZId,
          body: z.strictObject({ version: z.number().int().positive(), data: ZApplicationData }),
          response: { 200: ZSaveResult },
        },
      },
      async (request) => svc.saveApplication(ctx, requireActor(request), request.params.id, request.body),
    );

    app.post(
      '/api/applications/:id/submit',
      {
        schema: {
          tags: ['applications'],
          summary: '提交申报书（截止前；重复提交返回同一申报编号）',
          params: ZId,
          response: { 200: ZSubmitResult },
        },
      },
      async (request) => svc.submitApplication(ctx, requireActor(request), request.params.id),
    );

    app.post(
      '/api/applications/:id/withdraw',
      {
        schema: {
          tags: ['applications'],
          summary: '撤回已提交的申报书（仅在截止前）',
          params: ZId,
          response: { 200: ZWithdrawResult },
        },
      },
      async (request) => svc.withdrawApplication(ctx, requireActor(request), request.params.id),
    );
  };
}
