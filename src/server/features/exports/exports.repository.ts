import type { Executor } from '../../db/connect';

/** An application of an export list: what names, orders and authorises it, without its data. */
export interface ExportEntry {
  id: string;
  organisation_id: string;
  status: string;
  number: string | null;
  submitted_at: string | null;
  submitted_hash: string | null;
  organisation_name: string;
  organisation_uscc: string;
  organisation_type: string;
}

/**
 * The call's applications other than drafts (funder staff never see an unsubmitted draft),
 * optionally of one status, with their organisation. Unordered: the service orders them
 * (the same order on SQLite and PostgreSQL, whatever the collation).
 */
export function listExportEntries(ex: Executor, callCode: string, status?: string): Promise<ExportEntry[]> {
  let q = ex
    .selectFrom('applications as a')
    .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select([
      'a.id',
      'a.organisation_id',
      'a.status',
      'a.number',
      'a.submitted_at',
      'a.submitted_hash',
      'o.name as organisation_name',
      'o.uscc as organisation_uscc',
      'o.type as organisation_type',
    ])
    .where('a.call_code', '=', callCode)
    .where('a.status', '!=', 'draft');
  if (status) q = q.where('a.status', '=', status);
  return q.execute();
}

/** One application's row of an export page, read in one query with everything it shows. */
export interface ExportData {
  id: string;
  status: string;
  number: string | null;
  submitted_at: string | null;
  submitted_hash: string | null;
  data: string;
  submitted_data: string | null;
}

/**
 * The application data of `ids` (one query; call with a page of ids): the snapshot frozen
 * at submission and the current data, with the status, 申报编号, 提交时间 and hash as they
 * are now — read together, so that a row never pairs a resubmitted text with the earlier
 * submission's time and hash.
 */
export function findExportData(ex: Executor, ids: string[]): Promise<ExportData[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return ex.selectFrom('applications').select(['id', 'status', 'number', 'submitted_at', 'submitted_hash', 'data', 'submitted_data']).where('id', 'in', ids).execute();
}
