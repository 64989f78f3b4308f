import type { RouteOptions } from 'fastify';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/server/app';
import { createTestApp, type TestApp } from '../../support/app';

/** A one-pixel PNG (accepted attachment type). */
export const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082',
  'hex',
);

/** A minimal PDF (accepted attachment type). */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n');

/** A multipart/form-data body with one file part, as TestClient.request options. */
export function multipart(fileName: string, content: Buffer, field = 'file') {
  const boundary = '----sec' + Math.random().toString(16).slice(2);
  return {
    payload: Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`, 'utf8'),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** A route as the onRoute hook reports it: `METHOD /url`. */
export interface CollectedRoute {
  method: string;
  url: string;
}

/**
 * A test application whose route table is recorded by an `onRoute` hook registered before
 * any route (buildApp's `onRoute` option), on the same fresh database as createTestApp.
 * `app` is the instance to send requests to; `routes` is every route it has.
 */
export async function createRecordedApp(): Promise<{ t: TestApp; app: FastifyInstance; routes: CollectedRoute[]; close(): Promise<void> }> {
  const t = await createTestApp();
  const routes: CollectedRoute[] = [];
  const app = await buildApp(t.ctx, {
    onRoute: (r: RouteOptions) => {
      for (const method of Array.isArray(r.method) ? r.method : [r.method]) routes.push({ method, url: r.url });
    },
  });
  await app.ready();
  return {
    t,
    app,
    routes,
    async close() {
      await app.close();
      await t.close();
    },
  };
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
