import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import type { TDocumentInput } from '../../../domain/documents/print-model';
import { ChildPool } from './child-pool';

export { contentHash } from '../../../domain/documents/content-hash';
export { PdfRenderError, PdfRendererUnavailable } from './render-errors';

/**
 * The printed 申报书 as PDF, typeset by Typst from the fixed template `shenbao.typ` and the
 * shared document model (typeset-pdf.ts), in child processes (pdf-worker.ts).
 *
 * Why children: the Typst native compiler (typst-ts-node-compiler 0.7.0) keeps about
 * 1.6 MB of native memory per render that no cache eviction returns, so a server that
 * rendered in its own process would grow without bound. A child is recycled after
 * `maxRendersPerChild` renders or when its RSS passes `maxChildRssMb`, which frees that
 * memory with the process. This module itself loads neither Typst nor the fonts.
 */

/**
 * What a copy is printed from: the print model's input (data, call, 申报编号 or null for
 * 未提交, status — draft-like ones get the 草稿 watermark — content hash, generation instant).
 */
export type RenderPdfInput = TDocumentInput;

/** How the renderer children are run. */
export interface PdfRendererOptions {
  /** Renders at once, one per child process (each child holds fonts and compiler, ~300 MB). */
  children: number;
  /** A child is replaced after this many renders… */
  maxRendersPerChild: number;
  /** …or once its RSS after a render reaches this many MB. */
  maxChildRssMb: number;
  /** A render that takes longer fails (503) and its child is killed. */
  timeoutMs: number;
  /** Renders waiting for a child beyond this many are refused at once (503). */
  maxQueue: number;
}

const DEFAULTS: PdfRendererOptions = {
  children: Math.min(2, availableParallelism()),
  maxRendersPerChild: 100,
  maxChildRssMb: 640,
  timeoutMs: 30_000,
  maxQueue: 200,
};

let options: PdfRendererOptions = { ...DEFAULTS };
let pool: ChildPool<RenderPdfInput, Uint8Array> | undefined;

// The server runs TypeScript through tsx, so the child does too: its loader by absolute
// URL, so the child resolves it whatever the working directory.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

function getPool(): ChildPool<RenderPdfInput, Uint8Array> {
  pool ??= new ChildPool({
    entry: new URL('./pdf-worker.ts', import.meta.url),
    execArgv: ['--import', TSX_LOADER],
    size: options.children,
    maxJobsPerChild: options.maxRendersPerChild,
    maxRssBytes: options.maxChildRssMb * 1024 * 1024,
    timeoutMs: options.timeoutMs,
    maxQueue: options.maxQueue,
  });
  return pool;
}

/**
 * Render the 申报书 of one application as an A4 PDF: cover, 填报说明, 一 … 十, and on
 * every page 第 N 页 共 M 页, the 申报编号 (or 未提交) and the content hash.
 *
 * Throws `Invalid` (code `missing_glyph`, problems naming each field path and code point)
 * when the data holds a character that no bundled font has, instead of printing an empty
 * box; `PdfRenderError` when Typst rejects the template; `PdfRendererUnavailable` (code
 * `unavailable`, 503) when the child died, timed out or the queue is full. Warm renders take
 * tens to hundreds of ms in a child; renders beyond `children` wait in a queue.
 */
export function renderApplicationPdf(input: RenderPdfInput): Promise<Uint8Array> {
  return getPool().run(input);
}

/**
 * Change how renderer children are run (defaults: one per core up to 2, 100 renders, 640 MB,
 * 30 s, 200 waiting). Applies to children started from now on: the current ones finish
 * their renders and exit.
 */
export function configurePdfRenderer(changes: Partial<PdfRendererOptions>): void {
  options = { ...options, ...changes };
  void closePdfRenderer();
}

/**
 * Let running and queued renders finish, then end every renderer child and wait for it
 * to exit. Call on server shutdown (the documents routes do it in Fastify's onClose). A
 * render after this starts new children.
 */
export async function closePdfRenderer(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.close();
}

/** The renderer children (pid, renders done, RSS reported after the last render) and the queue. */
export function pdfRendererStatus(): ReturnType<ChildPool<RenderPdfInput, Uint8Array>['status']> {
  return pool?.status() ?? { children: [], queued: 0 };
}
