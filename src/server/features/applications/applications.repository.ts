import { sql, type Kysely, type QueryCreator, type RawBuilder } from 'kysely';
import { EDITABLE_STATUSES } from '../../../domain/lifecycle';
import { normaliseUscc } from '../../../domain/uscc';
import type { Dialect, Executor } from '../../db/connect';
import type { ApplicationRow, ApplicationUpdate, Database } from '../../db/database';
import { groupCommit } from '../../db/group-commit';
import { prepared } from '../../db/prepared';
import { insertAuditRow } from '../audit/audit.repository';

const findById = prepared(1, (ex, id: string) => ex.selectFrom('applications').selectAll().where('id', '=', id));
const findByIdForUpdate = prepared(1, (ex, id: string) => ex.selectFrom('applications').selectAll().where('id', '=', id).forUpdate());

/**
 * One application by id; `forUpdate` locks the row in PostgreSQL for the transaction. With
 * `dialect`, the query is compiled once (src/server/db/prepared.ts): every save reads it.
 */
export async function findApplication(ex: Executor, id: string, opts: { forUpdate?: boolean; dialect?: Dialect } = {}): Promise<ApplicationRow | undefined> {
  if (opts.dialect) {
    const q = opts.forUpdate && opts.dialect === 'postgres' ? findByIdForUpdate : findById;
    return (await q.execute(ex, opts.dialect, id)).rows[0];
  }
  return ex.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst();
}

/** An application with its organisation's name and type (申报单位), as the list reads it. */
export type ListedApplicationRow = ApplicationRow & { organisation_name: string; organisation_type: string };

/**
 * The list's filters. `organisation` is what a funder typed to find one 申报单位 (see
 * {@link organisationMatches}); `excludeDrafts` scopes the query to what funder staff may read
 * (the policy still decides each row).
 */
export interface ApplicationListFilter {
  organisationId?: string;
  callCode?: string;
  status?: string;
  excludeDrafts?: boolean;
  organisation?: string;
}

/**
 * Applications, filtered, each with its organisation's name and type in the same query (a
 * join: one round trip however many organisations are listed); newest first.
 */
export function listApplications(ex: Executor, dialect: Dialect, f: ApplicationListFilter): Promise<ListedApplicationRow[]> {
  let q = ex
    .selectFrom('applications')
    .innerJoin('organisations', 'organisations.id', 'applications.organisation_id')
    .selectAll('applications')
    .select(['organisations.name as organisation_name', 'organisations.type as organisation_type']);
  if (f.organisationId) q = q.where('applications.organisation_id', '=', f.organisationId);
  if (f.callCode) q = q.where('applications.call_code', '=', f.callCode);
  if (f.status) q = q.where('applications.status', '=', f.status);
  if (f.excludeDrafts) q = q.where('applications.status', '<>', 'draft');
  const term = f.organisation?.trim();
  if (term) {
    const m = organisationMatches(dialect, term);
    q = q.where((eb) => (m.byCode ? eb.or([m.byName, m.byCode]) : m.byName));
  }
  return q.orderBy('applications.created_at', 'desc').orderBy('applications.id').execute();
}

/** `text` as a LIKE pattern that matches it literally under ESCAPE '\': `%`, `_` and `\` escaped. */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => '\\' + c);
}

/** ASCII letters to lower case, nothing else: the one case folding both databases do alike. */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

const ASCII_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * The conditions under which an organisation is the one a funder looks for by `term`: its
 * name contains `term` (case folded for ASCII letters only), or its 统一社会信用代码 begins
 * with `term` as a code is typed (normalised: spaces removed, full-width to half-width, upper
 * case; only when the term can be the start of a code). `%`, `_` and `\` are literal.
 *
 * Identical on both databases: SQLite's lower() folds only A–Z (no ICU) while PostgreSQL's
 * follows the database's locale (Ä → ä under a UTF-8 locale), so PostgreSQL folds with
 * translate() over A–Z; SQLite has no default LIKE escape character, so ESCAPE is explicit;
 * the code is compared with substr(), since SQLite's LIKE ignores ASCII case and PostgreSQL's
 * does not.
 */
function organisationMatches(dialect: Dialect, term: string): { byName: RawBuilder<boolean>; byCode: RawBuilder<boolean> | null } {
  const name = sql.ref('organisations.name');
  const folded = dialect === 'postgres' ? sql`translate(${name}, ${ASCII_UPPER}, ${ASCII_UPPER.toLowerCase()})` : sql`lower(${name})`;
  const byName = sql<boolean>`${folded} like ${`%${likeLiteral(asciiLower(term))}%`} escape '\\'`;
  const code = normaliseUscc(term);
  // a code's characters are digits and capitals (GB 32100-2015), 18 of them
  if (!/^[0-9A-Z]{1,18}$/.test(code)) return { byName, byCode: null };
  return { byName, byCode: sql<boolean>`substr(${sql.ref('organisations.uscc')}, 1, ${code.length}) = ${code}` };
}

export async function insertApplication(ex: Executor, row: ApplicationRow): Promise<void> {
  await ex.insertInto('applications').values(row).execute();
}

/**
 * Update an application only if it is still at `expectedVersion` (optimistic versioning).
 * Returns false when another save came first.
 */
export async function updateApplicationIfVersion(ex: Executor, id: string, expectedVersion: number, set: ApplicationUpdate): Promise<boolean> {
  const r = await ex.updateTable('applications').set(set).where('id', '=', id).where('version', '=', expectedVersion).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** What a draft save is based on: the version and revision the client's edit started from. */
export interface SaveBase {
  version: number;
  revision: string;
}

/** What a draft save writes: the data (JSON text), its time and a new random revision. */
export interface SaveWrite {
  data: string;
  updatedAt: string;
  revision: string;
}

/**
 * The UPDATE of a draft save, the same on both dialects: new data, version, time and revision,
 * only where the row is the organisation's, still at the base version and revision, and editable.
 */
function draftUpdate(qc: QueryCreator<Database>, id: string, organisationId: string, baseVersion: number, baseRevision: string, data: string, newVersion: number, updatedAt: string, revision: string) {
  return qc
    .updateTable('applications')
    .set({ data, version: newVersion, updated_at: updatedAt, revision })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationId)
    .where('version', '=', baseVersion)
    .where('revision', '=', baseRevision)
    .where('status', 'in', EDITABLE_STATUSES);
}

const saveData = prepared(
  8,
  (ex, id: string, organisationId: string, baseVersion: number, baseRevision: string, data: string, newVersion: number, updatedAt: string, revision: string) =>
    draftUpdate(ex, id, organisationId, baseVersion, baseRevision, data, newVersion, updatedAt, revision),
);

/**
 * The draft save: new data, version `base.version + 1` and a new revision, only if the row
 * is still at `base` (version and revision), editable and the organisation's. Returns false
 * when another save, a submit or a withdrawal came first (or the row is not there).
 * Compiled once.
 */
export async function saveDataIfVersion(ex: Executor, dialect: Dialect, id: string, organisationId: string, base: SaveBase, write: SaveWrite): Promise<boolean> {
  const r = await saveData.execute(ex, dialect, id, organisationId, base.version, base.revision, write.data, base.version + 1, write.updatedAt, write.revision);
  return Number(r.numAffectedRows) === 1;
}

/** The audit record that goes with a save, already serialised. */
export interface SaveAudit {
  at: string;
  actorUserId: string;
  organisationId: string;
  /** JSON text of the details */
  details: string;
  ip: string | null;
}

const saveDataWithAudit = prepared(
  12,
  (ex, id: string, baseVersion: number, baseRevision: string, data: string, newVersion: number, updatedAt: string, revision: string, at: string, actor: string, org: string, details: string, ip: string | null) =>
    ex
      .with('saved', (db) => draftUpdate(db, id, org, baseVersion, baseRevision, data, newVersion, updatedAt, revision).returning('id'))
      .insertInto('audit_log')
      .columns(['at', 'actor_user_id', 'organisation_id', 'action', 'entity_type', 'entity_id', 'details', 'ip'])
      .expression((eb) =>
        eb
          .selectFrom('saved')
          .select((s) => [
            s.val(at).as('at'),
            s.val(actor).as('actor_user_id'),
            s.val(org).as('organisation_id'),
            s.val('application.save').as('action'),
            s.val('application').as('entity_type'),
            s.ref('saved.id').as('entity_id'),
            s.val(details).as('details'),
            s.val(ip).as('ip'),
          ]),
      ),
);

/**
 * The save and its audit record, atomically, only if the application is still at `base`
 * (version and revision), editable and `audit.organisationId`'s (optimistic versioning: the
 * caller read it before, or saved or read that version itself).
 * PostgreSQL: one statement (the UPDATE in a data-modifying WITH feeding the audit INSERT),
 * one round trip instead of five (BEGIN, SELECT … FOR UPDATE, UPDATE, INSERT, COMMIT) on the
 * deadline-day hot path. SQLite (no data-modifying WITH): the two statements as one unit of
 * a group commit (src/server/db/group-commit.ts): the saves of one event-loop turn share one
 * transaction, and each resolves only once it is committed. Returns false when nothing was
 * written.
 */
export async function saveWithAudit(db: Kysely<Database>, dialect: Dialect, id: string, base: SaveBase, write: SaveWrite, audit: SaveAudit): Promise<boolean> {
  if (dialect === 'postgres') {
    const r = await saveDataWithAudit.execute(db, dialect, id, base.version, base.revision, write.data, base.version + 1, write.updatedAt, write.revision, audit.at, audit.actorUserId, audit.organisationId, audit.details, audit.ip);
    return Number(r.numAffectedRows) === 1;
  }
  return groupCommit(db).run(async (trx) => {
    if (!(await saveDataIfVersion(trx, dialect, id, audit.organisationId, base, write))) return false;
    await insertSaveAudit(trx, dialect, id, audit);
    return true;
  });
}

/** The `application.save` audit record of a save (inside the save's transaction). */
export async function insertSaveAudit(ex: Executor, dialect: Dialect, id: string, audit: SaveAudit): Promise<void> {
  await insertAuditRow.execute(ex, dialect, audit.at, audit.actorUserId, audit.organisationId, 'application.save', 'application', id, audit.details, audit.ip);
}

/** Sub-programmes that the organisation already holds in the call, with the holding application. */
export function findHeldSubprogrammes(ex: Executor, callCode: string, organisationId: string, subProgrammes: string[]) {
  if (subProgrammes.length === 0) return Promise.resolve([]);
  return ex
    .selectFrom('application_subprogrammes')
    .select(['application_id', 'sub_programme'])
    .where('call_code', '=', callCode)
    .where('organisation_id', '=', organisationId)
    .where('sub_programme', 'in', subProgrammes)
    .execute();
}

/** Replace the sub-programme rows of an application (the unique key enforces one per organisation). */
export async function setSubprogrammes(ex: Executor, applicationId: string, callCode: string, organisationId: string, subProgrammes: string[]): Promise<void> {
  await ex.deleteFrom('application_subprogrammes').where('application_id', '=', applicationId).execute();
  if (subProgrammes.length)
    await ex
      .insertInto('application_subprogrammes')
      .values(subProgrammes.map((s) => ({ application_id: applicationId, call_code: callCode, organisation_id: organisationId, sub_programme: s })))
      .execute();
}

/**
 * Take the next number of a (call, prefix) sequence, inside the caller's transaction. One
 * atomic upsert: an UPDATE-then-INSERT lets two first submissions of a prefix at once both
 * find no row on PostgreSQL, and the second INSERT failed with a duplicate key (a 500 in the
 * submit storm of bench/run.ts); the upsert takes the row lock and numbers them 1 and 2.
 */
export async function nextSequence(ex: Executor, callCode: string, prefix: string): Promise<number> {
  const row = await ex
    .insertInto('number_sequences')
    .values({ call_code: callCode, prefix, last_seq: 1 })
    .onConflict((oc) => oc.columns(['call_code', 'prefix']).doUpdateSet({ last_seq: sql`number_sequences.last_seq + 1` }))
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  return Number(row.last_seq);
}
