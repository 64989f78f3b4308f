import { PassThrough, type Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import type { TCallDefinition } from '../../../domain/calls/call';
import { beijingDate, beijingParts } from '../../../domain/deadline';
import { Conflict, DomainError, Forbidden } from '../../../domain/errors';
import type { TApplicationData } from '../../../domain/form/application';
import { STATUS_LABELS, type TApplicationStatus } from '../../../domain/lifecycle';
import { drained, summaryRow, writeSummaryXlsx, type TSummaryRow } from '../../documents/xlsx/applications-xlsx';
import type { Actor, AppContext } from '../../http/context';
import { insertAudit } from '../audit/audit.repository';
import { getCall } from '../calls/calls.service';
import { renderPdf, safeFileNamePart, type RenderedDocument } from '../documents/documents.service';
import { canExportApplication, canExportCall } from './exports.policy';
import * as repo from './exports.repository';
import { mapOrdered } from './ordered-map';

/** Statuses an export may be filtered by: every status but draft. */
export type TExportStatus = Exclude<TApplicationStatus, 'draft'>;

/** An optional filter of an export. */
export interface ExportFilter {
  status?: TExportStatus;
}

/**
 * An export ready to be sent: the download name (Chinese, for Content-Disposition), how many
 * applications it holds, and its bytes as a stream that produces them as it is read.
 */
export interface ExportDownload {
  fileName: string;
  count: number;
  stream: Readable;
}

/** PDFs rendered at once for one .zip export (the machine has 2 cores; the renderer pool has 2 children). */
export const ZIP_RENDER_CONCURRENCY = 2;
/** Applications whose data is read per query for the .xlsx export. */
const XLSX_PAGE = 200;
/** Name of the entry that lists the 申报书 a .zip could not include, last in the archive. */
export const ZIP_FAILURES_ENTRY = '未能生成的申报书.txt';

/** Order of every export: by 申报编号, the same on SQLite and PostgreSQL (code-unit order, not a collation). */
function byNumber(a: repo.ExportEntry, b: repo.ExportEntry): number {
  const x = a.number ?? '\uffff';
  const y = b.number ?? '\uffff';
  if (x !== y) return x < y ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Whether the actor may export call `callCode`, and the call: the check every export makes
 * before it starts, also used alone to answer HEAD without exporting. Errors: Forbidden for
 * anyone but a funder admin, NotFound for an unknown call.
 */
export async function authoriseExport(ctx: AppContext, actor: Actor, callCode: string): Promise<TCallDefinition> {
  if (!canExportCall(actor)) throw new Forbidden('只有项目管理员可以导出申报汇总和申报书');
  return getCall(ctx, callCode);
}

/** Authorise, load the call (NotFound) and list what the actor may export, in order. */
async function exportable(ctx: AppContext, actor: Actor, callCode: string, filter: ExportFilter): Promise<{ call: TCallDefinition; entries: repo.ExportEntry[] }> {
  const call = await authoriseExport(ctx, actor, callCode);
  const entries = (await repo.listExportEntries(ctx.db, call.code, filter.status)).filter((e) => canExportApplication(actor, e)).sort(byNumber);
  return { call, entries };
}

/** "2023年学会公共服务能力提升项目-申报汇总（已受理）-20230520.xlsx": the call, what, filter, the 北京时间 date. */
function downloadName(ctx: AppContext, call: TCallDefinition, what: string, filter: ExportFilter, ext: string): string {
  const scope = filter.status ? `（${STATUS_LABELS[filter.status]}）` : '';
  return `${safeFileNamePart(call.title, 60)}-${what}${scope}-${beijingDate(ctx.clock.now()).replace(/-/g, '')}.${ext}`;
}

async function auditExport(ctx: AppContext, actor: Actor, call: TCallDefinition, action: string, details: Record<string, unknown>): Promise<void> {
  await insertAudit(ctx.db, { at: ctx.clock.now(), actorUserId: actor.userId, organisationId: null, action, entityType: 'call', entityId: call.code, details, ip: actor.ip });
}

/**
 * The summary of a call's applications as an .xlsx (see documents/xlsx/applications-xlsx.ts
 * for the columns): every application but drafts, or those of `filter.status`, in order
 * of 申报编号, each from its snapshot frozen at submission. The export is audited
 * (`export.applications_xlsx`: the call, the filter, the count) before any byte is sent.
 * Rows are read 200 at a time and written as they are read; an application withdrawn
 * meanwhile is left out. Errors (before the stream starts): Forbidden for anyone but a
 * funder admin, NotFound for an unknown call.
 */
export async function exportApplicationsXlsx(ctx: AppContext, actor: Actor, callCode: string, filter: ExportFilter = {}): Promise<ExportDownload> {
  const { call, entries } = await exportable(ctx, actor, callCode, filter);
  const fileName = downloadName(ctx, call, '申报汇总', filter, 'xlsx');
  await auditExport(ctx, actor, call, 'export.applications_xlsx', { format: 'xlsx', status: filter.status ?? null, count: entries.length, fileName });

  const out = new PassThrough();
  // a client that went away destroys `out`; late writes into it must not throw
  out.on('error', () => undefined);
  async function* rows(): AsyncGenerator<TSummaryRow> {
    for (let i = 0; i < entries.length && !out.destroyed; i += XLSX_PAGE) {
      const page = entries.slice(i, i + XLSX_PAGE);
      const data = new Map((await repo.findExportData(ctx.db, page.map((e) => e.id))).map((r) => [r.id, r]));
      for (const e of page) {
        const d = data.get(e.id);
        // withdrawn to draft since the list was read: staff never see drafts
        if (!d || !canExportApplication(actor, { organisation_id: e.organisation_id, status: d.status })) continue;
        yield summaryRow(call, {
          number: d.number,
          status: d.status,
          submittedAt: d.submitted_at,
          contentHash: d.submitted_hash,
          organisation: { name: e.organisation_name, uscc: e.organisation_uscc, type: e.organisation_type },
          data: JSON.parse(d.submitted_data ?? d.data) as TApplicationData,
        });
      }
    }
  }
  writeSummaryXlsx(out, rows(), {
    callTitle: call.title,
    generatedAt: ctx.clock.now(),
    filterText: filter.status ? `状态为“${STATUS_LABELS[filter.status]}”的申报书` : undefined,
  }).catch((e: unknown) => out.destroy(e as Error));
  return { fileName, count: entries.length, stream: out };
}

/** "2023-BZ-0007-中国工业智能检测学会.pdf": the 申报编号 and the organisation's registered name, safe for file systems. */
function entryName(e: repo.ExportEntry, taken: Set<string>): string {
  const base = `${e.number ?? `未编号-${e.id.slice(0, 8)}`}-${safeFileNamePart(e.organisation_name, 40) || '申报单位'}`;
  let name = `${base}.pdf`;
  for (let i = 2; taken.has(name); i++) name = `${base}（${i}）.pdf`;
  taken.add(name);
  return name;
}

/**
 * A zip entry's time: the format keeps a wall-clock time without a zone, written from the
 * Date's local fields; give it the 北京时间 wall clock whatever the server's zone, so that a
 * PDF submitted at 09:02 北京时间 lists as 09:02.
 */
function zipTime(d: Date): Date {
  const b = beijingParts(d);
  return new Date(b.year, b.month - 1, b.day, b.hour, b.minute, b.second);
}

/** A text on one line of the failure list: line breaks, tabs and other control or format characters become spaces. */
const oneLine = (t: string) => t.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The printed 申报书 through the documents feature (the route's own code path); a busy or crashed renderer is tried twice more. */
async function renderForZip(ctx: AppContext, actor: Actor, id: string, stopped: () => boolean): Promise<RenderedDocument> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await renderPdf(ctx, actor, id);
    } catch (e) {
      if (attempt >= 3 || stopped() || !(e instanceof DomainError && e.code === 'unavailable')) throw e;
      await sleep(1000 * attempt);
    }
  }
}

/** Why an application is missing from the archive, for the list inside it. */
function failureText(error: unknown): string {
  if (error instanceof DomainError && error.code === 'not_found') return '导出期间已撤回（不再是已提交状态）';
  if (error instanceof DomainError) return error.message;
  return '生成 PDF 时出错';
}

/**
 * The printed 申报书 of a call's applications as a .zip: every application but drafts, or
 * those of `filter.status`, in order of 申报编号, each entry `<申报编号>-<单位名称>.pdf`
 * exactly as GET /api/applications/:id/pdf prints it (the submitted snapshot, its content
 * hash on every page). PDFs are rendered {@link ZIP_RENDER_CONCURRENCY} at a time and each
 * is written, stored without compression (PDFs are compressed already), as soon as those
 * before it are; the next render waits while the client is not reading. When the client
 * disconnects no further PDF is rendered, and `export.documents_zip_interrupted` records how
 * many had been put into the archive (`written`; the last of them may not have reached the
 * client: the stream buffers up to its high-water mark). A PDF that cannot be rendered (the
 * application withdrawn meanwhile, the renderer failing three times) is left out and named,
 * with the reason, in a last entry {@link ZIP_FAILURES_ENTRY}. Audited (`export.documents_zip`) before any byte is sent.
 * Errors (before the stream starts): Forbidden for anyone but a funder admin, NotFound for
 * an unknown call.
 */
export async function exportDocumentsZip(ctx: AppContext, actor: Actor, callCode: string, filter: ExportFilter = {}): Promise<ExportDownload> {
  const { call, entries } = await exportable(ctx, actor, callCode, filter);
  // an empty archive opens as an error in most tools: say so instead
  if (entries.length === 0) throw new Conflict(filter.status ? `没有状态为“${STATUS_LABELS[filter.status]}”的申报书，没有可下载的 PDF` : '尚无已提交的申报书，没有可下载的 PDF', 'nothing_to_export');
  if (zipExportsRunning >= MAX_ZIP_EXPORTS)
    throw new DomainError(`已有 ${MAX_ZIP_EXPORTS} 个 PDF 压缩包正在生成，请等其完成后再下载（申报单位下载申报书 PDF 优先）`, 'too_many_requests');
  const fileName = downloadName(ctx, call, '申报书PDF', filter, 'zip');
  await auditExport(ctx, actor, call, 'export.documents_zip', { format: 'zip', status: filter.status ?? null, count: entries.length, fileName });
  zipExportsRunning++;

  const zip = new ZipFile();
  const out = zip.outputStream;
  let closed = false;
  out.on('close', () => (closed = true));
  out.on('error', () => undefined);
  const stopped = () => closed || out.destroyed;

  (async () => {
    const taken = new Set<string>();
    const failures: string[] = [];
    let written = 0;
    for await (const o of mapOrdered(entries, ZIP_RENDER_CONCURRENCY, (e) => renderForZip(ctx, actor, e.id, stopped), stopped)) {
      if (o.ok) {
        const pdf = o.value.bytes;
        zip.addBuffer(Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength), entryName(o.item, taken), {
          compress: false,
          mtime: zipTime(new Date(o.item.submitted_at ?? ctx.clock.now())),
        });
        written++;
      } else {
        failures.push([o.item.number ?? o.item.id, o.item.organisation_name, failureText(o.error)].map(oneLine).join('\t'));
      }
      await drained(out);
    }
    if (stopped()) {
      await auditExport(ctx, actor, call, 'export.documents_zip_interrupted', { count: entries.length, written, fileName });
      return;
    }
    if (failures.length)
      zip.addBuffer(Buffer.from(`以下 ${failures.length} 份申报书未能放入压缩包（申报编号、申报单位、原因）：\r\n${failures.join('\r\n')}\r\n`, 'utf8'), ZIP_FAILURES_ENTRY, {
        mtime: zipTime(ctx.clock.now()),
      });
    zip.end();
  })()
    .catch((e: unknown) => out.destroy(e as Error))
    .finally(() => zipExportsRunning--);
  return { fileName, count: entries.length, stream: out };
}

/**
 * PDF archives being produced by this process at once, at most {@link MAX_ZIP_EXPORTS}: each
 * keeps {@link ZIP_RENDER_CONCURRENCY} renders in the queue that applicants' own PDF
 * downloads share, and many at once crowded those out (503s and 17-second waits).
 */
let zipExportsRunning = 0;
export const MAX_ZIP_EXPORTS = 2;
