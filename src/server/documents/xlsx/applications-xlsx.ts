import type { Writable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import { ORG_TYPE_LABELS, type TCallDefinition, type TPartnerType } from '../../../domain/calls/call';
import { beijingDate, beijingParts, formatBeijing } from '../../../domain/deadline';
import type { TApplicationData } from '../../../domain/form/application';
import { computeBudget } from '../../../domain/form/budget';
import { STATUS_LABELS, type TApplicationStatus } from '../../../domain/lifecycle';
import { YUAN_PER_WAN } from '../../../domain/money';

/**
 * The funder's summary of a call's applications as an .xlsx (issue "Exports"): one row per
 * application, written row by row through exceljs's streaming WorkbookWriter, so that the
 * rows never sit in memory as a workbook (only the table of distinct texts does, which
 * Excel's shared-string cells need).
 *
 * Every text is written as a string cell (never a formula, whatever it begins with: = + - @
 * tab or CR are plain text) after {@link spreadsheetText} has made it valid XML 1.0.
 */

/** What one row says, already in the sheet's words and units. Amounts are integer 元. */
export interface TSummaryRow {
  number: string;
  organisation: string;
  uscc: string;
  orgType: string;
  subProgrammes: string;
  projectName: string;
  projectLead: string;
  projectLeadMobile: string;
  contactName: string;
  contactPhone: string;
  contactMobile: string;
  /** 申请中国科协经费, integer 元, or null when the text does not parse */
  castFundsYuan: number | null;
  /** 经费总预算 = 申请中国科协经费 + 其他经费, integer 元, or null */
  totalBudgetYuan: number | null;
  status: string;
  /** "2023-05-12 10:32" in 北京时间, or "" */
  submittedAt: string;
  contentHash: string;
}

type Column = { key: keyof TSummaryRow; header: string; width: number; money?: true };

/** The columns in order: header text (units and time zone in the header) and width in characters. */
export const SUMMARY_COLUMNS: readonly Column[] = [
  { key: 'number', header: '申报编号', width: 14 },
  { key: 'organisation', header: '申报单位', width: 28 },
  { key: 'uscc', header: '统一社会信用代码', width: 21 },
  { key: 'orgType', header: '单位类型', width: 22 },
  { key: 'subProgrammes', header: '专项', width: 36 },
  { key: 'projectName', header: '项目名称', width: 44 },
  { key: 'projectLead', header: '项目负责人', width: 11 },
  { key: 'projectLeadMobile', header: '项目负责人手机', width: 15 },
  { key: 'contactName', header: '联系人', width: 10 },
  { key: 'contactPhone', header: '联系电话', width: 15 },
  { key: 'contactMobile', header: '联系人手机', width: 15 },
  { key: 'castFundsYuan', header: '申请中国科协经费（万元）', width: 14, money: true },
  { key: 'totalBudgetYuan', header: '经费总预算（万元）', width: 14, money: true },
  { key: 'status', header: '状态', width: 10 },
  { key: 'submittedAt', header: '提交时间（北京时间）', width: 18 },
  { key: 'contentHash', header: '内容哈希', width: 11 },
];

/** Excel's limit of characters in one cell. */
const MAX_CELL_CHARS = 32_767;

/**
 * A text as it can be stored in a cell and read back the same by Excel:
 * - characters that XML 1.0 does not allow (C0 controls but tab and line feed, U+FFFE,
 *   U+FFFF, unpaired surrogates) are dropped, so the file always opens;
 * - CR and CR LF become LF (an XML reader turns a raw CR into LF anyway);
 * - a literal `_xHHHH_` gets its underscore escaped as `_x005F_`, since Excel reads that
 *   pattern in a cell as an escaped character (ECMA-376 Part 1, 22.9.2.19 ST_Xstring);
 * - cut at Excel's 32,767 characters.
 * Nothing is added before = + - @: the cell is a string cell, which no spreadsheet evaluates.
 */
export function spreadsheetText(value: string | null | undefined): string {
  if (!value) return '';
  const text = value
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/_(x[0-9a-fA-F]{4}_)/g, '_x005F_$1');
  return text.length > MAX_CELL_CHARS ? text.slice(0, MAX_CELL_CHARS) : text;
}

/** "2023-05-12 10:32", the 北京时间 of an ISO instant; "" for null. */
export function beijingMinute(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const p = beijingParts(d);
  return `${beijingDate(d)} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

/** What a summary row is made from: the application's submitted snapshot and its organisation. */
export interface TSummarySource {
  number: string | null;
  status: string;
  submittedAt: string | null;
  contentHash: string | null;
  organisation: { name: string; uscc: string; type: string };
  data: TApplicationData;
}

/**
 * One row of the summary: 专项 by their names in the call (a tracking programme with the
 * track it follows), 单位类型 and 状态 as Chinese labels, the 申报书's 项目负责人 and 封面
 * contact, and the budget summed exactly in integer 元 by {@link computeBudget}.
 */
export function summaryRow(call: TCallDefinition, src: TSummarySource): TSummaryRow {
  const d = src.data;
  const name = (code: string) => call.subProgrammes.find((s) => s.code === code)?.name ?? code;
  const subs = (d.subProgrammes ?? []).map((c) => (d.trackingTrack && call.subProgrammes.find((s) => s.code === c)?.tracks.length ? `${name(c)}（跟踪：${name(d.trackingTrack)}）` : name(c)));
  const budget = computeBudget(d.budget);
  return {
    number: src.number ?? '',
    organisation: src.organisation.name,
    uscc: src.organisation.uscc,
    orgType: ORG_TYPE_LABELS[src.organisation.type as TPartnerType] ?? src.organisation.type,
    subProgrammes: subs.join('；'),
    projectName: d.projectName ?? '',
    projectLead: d.contacts?.projectLead?.name ?? '',
    projectLeadMobile: d.contacts?.projectLead?.mobile ?? '',
    contactName: d.cover?.contactName ?? '',
    contactPhone: d.cover?.phone ?? '',
    contactMobile: d.cover?.mobile ?? '',
    castFundsYuan: budget.castYuan,
    totalBudgetYuan: budget.totalYuan,
    status: STATUS_LABELS[src.status as TApplicationStatus] ?? src.status,
    submittedAt: beijingMinute(src.submittedAt),
    contentHash: src.contentHash ?? '',
  };
}

/** Column letter of a 1-based index (1 → A, 16 → P). */
function columnLetter(n: number): string {
  let s = '';
  for (; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Rows written between two pauses for the output (see {@link letBytesFlow}). */
const YIELD_EVERY_ROWS = 100;

/**
 * Give the event loop a turn, then wait while `out` has more than its high-water mark
 * unread. Without the turn, rows read from SQLite (synchronous under its promises) would be
 * written in one go: the zip compression (zlib, on the thread pool) could not run until the
 * last row, and the whole workbook would sit in memory before the first byte left.
 */
async function letBytesFlow(out: Writable): Promise<void> {
  await setImmediate();
  await drained(out);
}

/** Wait until `out` wants more bytes (or has closed): a writer's back-pressure. */
export function drained(out: Writable): Promise<void> {
  if (!out.writableNeedDrain || out.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

/** How the workbook describes itself (sheet 说明). */
export interface TSummaryMeta {
  callTitle: string;
  generatedAt: Date;
  /** e.g. "状态：已受理"; absent for every non-draft application */
  filterText?: string;
}

/**
 * Write the summary workbook to `out` as rows arrive and end `out`. Sheet 申报汇总: header
 * row bold and frozen with the 申报编号 column, column widths, an autofilter over the rows
 * written; amounts are number cells in 万元 shown with 2 decimals (the value itself is
 * exact to the 元: integer 元 ÷ 10,000); 提交时间 is text in 北京时间. Sheet 说明: the call,
 * when it was exported, the filter and the count. Resolves to the number of rows written;
 * rejects if `rows` or `out` fails (the caller destroys `out`).
 */
export async function writeSummaryXlsx(out: Writable, rows: AsyncIterable<TSummaryRow>, meta: TSummaryMeta): Promise<number> {
  // loaded on the first export, not with the server: exceljs is large and most processes never export
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: true });
  wb.creator = 'Shenbao 申报系统';
  wb.created = meta.generatedAt;
  wb.modified = meta.generatedAt;
  const ws = wb.addWorksheet('申报汇总', { views: [{ state: 'frozen', xSplit: 1, ySplit: 1, activeCell: 'B2' }] });
  ws.columns = SUMMARY_COLUMNS.map((c) => ({ key: c.key, header: c.header, width: c.width }));
  const header = ws.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', wrapText: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
  header.height = 30;
  header.commit();

  let n = 0;
  for await (const r of rows) {
    const row = ws.addRow(
      SUMMARY_COLUMNS.map((c) => {
        const v = r[c.key];
        if (c.money) return v === null ? null : (v as number) / YUAN_PER_WAN;
        return spreadsheetText(v as string);
      }),
    );
    SUMMARY_COLUMNS.forEach((c, i) => {
      if (c.money) row.getCell(i + 1).numFmt = '#,##0.00';
    });
    row.commit();
    if (++n % YIELD_EVERY_ROWS === 0) await letBytesFlow(out);
  }
  ws.autoFilter = `A1:${columnLetter(SUMMARY_COLUMNS.length)}${n + 1}`;
  ws.commit();

  const about = wb.addWorksheet('说明');
  about.columns = [
    { key: 'k', width: 14 },
    { key: 'v', width: 70 },
  ];
  const lines: [string, string][] = [
    ['申报批次', meta.callTitle],
    ['导出时间', formatBeijing(meta.generatedAt)],
    ['范围', meta.filterText ?? '全部已提交的申报书（不含草稿）'],
    ['申报书数量', String(n)],
    ['金额单位', '万元（单元格中为精确到元的数值，显示 2 位小数）'],
    ['提交时间', '北京时间（UTC+8）'],
    ['内容哈希', '提交时申报书内容的校验码，即纸质申报书每页所印的“内容校验码”'],
  ];
  for (const [k, v] of lines) {
    const row = about.addRow([k, spreadsheetText(v)]);
    row.getCell(1).font = { bold: true };
    row.commit();
  }
  about.commit();
  await wb.commit();
  return n;
}
