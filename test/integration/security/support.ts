import type { FastifyInstance, RouteOptions } from 'fastify';
import { createTestApp, type TestApp } from '../../support/app';

/** A route as the onRoute hook reports it: `METHOD /url`. */
export interface CollectedRoute {
  method: string;
  url: string;
}

/**
 * A test application whose route table is recorded by an `onRoute` hook registered before
 * any route (buildApp's `onRoute` option), on a fresh database as createTestApp makes it.
 * `app` is the instance to send requests to; `routes` is every route it has.
 */
export async function createRecordedApp(): Promise<{ t: TestApp; app: FastifyInstance; routes: CollectedRoute[]; close(): Promise<void> }> {
  const routes: CollectedRoute[] = [];
  const t = await createTestApp({
    build: {
      onRoute: (r: RouteOptions) => {
        for (const method of Array.isArray(r.method) ? r.method : [r.method]) routes.push({ method, url: r.url });
      },
    },
  });
  await t.app.ready();
  return { t, app: t.app, routes, close: () => t.close() };
}

/** The stored state of one application as its owner sees it, for before/after comparison. */
export function snapshotOf(view: any) {
  return {
    data: JSON.stringify(view.data),
    version: view.version,
    status: view.status,
    number: view.number,
    updatedAt: view.updatedAt,
    submittedAt: view.submittedAt,
    contentHash: view.contentHash,
  };
}
