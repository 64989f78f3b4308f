import { randomUUID } from 'node:crypto';
import type { TApplicationSummary, TApplicationView } from '../../../domain/api';
import type { TCallDefinition, TOrgType } from '../../../domain/calls/call';
import { formatDeadline, windowState } from '../../../domain/deadline';
import { Conflict, DeadlinePassed, DomainError, Forbidden, Invalid, NotFound } from '../../../domain/errors';
import type { TApplicationData } from '../../../domain/form/application';
import { hasErrors, validateApplication, type FormIssue } from '../../../domain/form/rules';
import { countUnfilledWhenOpened } from '../../../domain/form/unfilled';
import { EDITABLE_STATUSES, type TApplicationStatus } from '../../../domain/lifecycle';
import { formatApplicationNumber, numberFits, numberPrefix } from '../../../domain/numbering';
import type { Executor } from '../../db/connect';
import type { ApplicationRow } from '../../db/database';
import { contentHash } from '../../../domain/documents/content-hash';
import { codePointText, findMissingGlyphs, loadFonts } from '../../documents/fonts';
import type { Actor, AppContext } from '../../http/context';
import { insertAudit } from '../audit/audit.repository';
import { findOrganisationById } from '../auth/auth.repository';
import { getCall, getCalls } from '../calls/calls.service';
import { canReadApplication, canWriteApplication } from './applications.policy';
import * as repo from './applications.repository';
import { savedDataCache, type SavedData } from './saved-data-cache';

/** An application as the API returns it (domain/api.ts); `data` is returned as it was saved. */
export type ApplicationView = TApplicationView;

/** A line of the organisation's list (domain/api.ts). */
export type ApplicationSummary = TApplicationSummary;

const SUBPROGRAMME_PATHS = ['subProgrammes', 'trackingTrack'];

function ruleContext(call: TCallDefinition, orgType: string) {
  return { call, orgType: orgType as TOrgType };
}

/** Load an application the actor may read, or NotFound (never revealing others' objects). */
async function loadReadable(ex: Executor, ctx: AppContext, actor: Actor, id: string, forUpdate = false): Promise<ApplicationRow> {
  return readableOrNotFound(actor, await repo.findApplication(ex, id, { forUpdate, dialect: ctx.dialect }));
}

function readableOrNotFound<R extends Pick<ApplicationRow, 'organisation_id' | 'status'>>(actor: Actor, row: R | undefined): R {
  if (!row || !canReadApplication(actor, row)) throw new NotFound('未找到该申报书或无权访问');
  return row;
}

function writableOrForbidden<R extends Pick<ApplicationRow, 'organisation_id' | 'status'>>(actor: Actor, row: R | undefined): R {
  const readable = readableOrNotFound(actor, row);
  if (!canWriteApplication(actor, readable)) throw new Forbidden('只有申报单位管理员可以修改、提交或撤回申报书');
  return readable;
}

/**
 * Load an application the actor may change, or NotFound / Forbidden. `lock` (inside a
 * transaction) takes the row lock on PostgreSQL.
 */
async function loadWritable(ex: Executor, ctx: AppContext, actor: Actor, id: string, lock = true): Promise<ApplicationRow> {
  return writableOrForbidden(actor, await repo.findApplication(ex, id, { forUpdate: lock, dialect: ctx.dialect }));
}

function requireApplicant(actor: Actor): string {
  if (actor.role !== 'applicant' || !actor.organisationId) throw new Forbidden('只有申报单位管理员可以创建申报书');
  return actor.organisationId;
}

/**
 * Refuse every write once the call's window has closed (notice 四.3), naming the deadline in
 * 北京时间. `at` is the instant the request is taken as received (read once from the clock
 * at its start): the same instant is checked and stamped on the write and its audit record,
 * so a change accepted at 23:59:59.990 never reads as made after 24:00 because it waited
 * for a lock.
 */
function assertWindowNotClosed(call: TCallDefinition, at: Date): void {
  if (windowState(at, call.window) === 'closed') throw new DeadlinePassed(formatDeadline(call.window.closes));
}

/**
 * Leaf paths that differ between two JSON values (at most `max`), for the audit record:
 * `plan`, `team[2].name`, `budget.items` (an array that grew or shrank is named at each new
 * or removed index). Strings and numbers are compared directly, never re-serialised: this
 * runs on every save.
 */
export function changedPaths(a: unknown, b: unknown, prefix = '', out: string[] = [], max = 50): string[] {
  if (a === b || out.length >= max) return out;
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    if (Array.isArray(a)) {
      const bb = b as unknown[];
      for (let i = 0; i < Math.max(a.length, bb.length); i++) if (a[i] !== bb[i]) changedPaths(a[i], bb[i], `${prefix}[${i}]`, out, max);
    } else {
      const ao = a as Record<string, unknown>;
      const bo = b as Record<string, unknown>;
      // b's own value only (a key "__proto__" that a lacks must not read as Object.prototype); checked only where the values differ
      for (const k in ao) if (ao[k] !== bo[k]) changedPaths(ao[k], Object.hasOwn(bo, k) ? bo[k] : undefined, prefix ? `${prefix}.${k}` : k, out, max);
      for (const k in bo) if (!Object.hasOwn(ao, k) && bo[k] !== undefined) changedPaths(undefined, bo[k], prefix ? `${prefix}.${k}` : k, out, max);
    }
    return out;
  }
  out.push(prefix || '(root)');
  return out;
}

/**
 * An organisation's type (national society, …), which never changes after registration:
 * read once per process and database, since every save needs it for the rules.
 */
async function organisationType(ctx: AppContext, ex: Executor, organisationId: string): Promise<string> {
  let known = orgTypes.get(ctx.db);
  const hit = known?.get(organisationId);
  if (hit) return hit;
  const type = (await findOrganisationById(ex, organisationId))?.type;
  if (!type) throw new NotFound('申报单位不存在');
  if (!known) orgTypes.set(ctx.db, (known = new Map()));
  known.set(organisationId, type);
  return type;
}
const orgTypes = new WeakMap<object, Map<string, string>>();

function subprogrammeErrors(issues: FormIssue[]): FormIssue[] {
  return issues.filter((i) => i.level === 'error' && SUBPROGRAMME_PATHS.includes(i.path) && i.code !== 'lead.joint_requires_society');
}

async function assertSubprogrammesFree(ex: Executor, callCode: string, organisationId: string, subs: string[], exceptApplicationId: string | null, call: TCallDefinition) {
  const held = (await repo.findHeldSubprogrammes(ex, callCode, organisationId, subs)).filter((h) => h.application_id !== exceptApplicationId);
  if (held.length) {
    const names = held.map((h) => call.subProgrammes.find((s) => s.code === h.sub_programme)?.name ?? h.sub_programme);
    throw new Conflict(`本单位在本批次已有“${names.join('、')}”的申报书，每个单位每个专项只能申报一项`, 'duplicate_subprogramme', {
      path: 'subProgrammes',
      applicationId: held[0].application_id,
    });
  }
}

const isUniqueViolation = (e: unknown) => /unique|duplicate key/i.test(String((e as Error)?.message));

/**
 * Record the application's sub-programmes (create and save, inside their transaction). The
 * unique key is the last word on one application per organisation per sub-programme: a
 * concurrent request that got past {@link assertSubprogrammesFree} ends here as Conflict
 * `duplicate_subprogramme`.
 */
async function holdSubprogrammes(trx: Executor, applicationId: string, callCode: string, organisationId: string, subs: string[]): Promise<void> {
  try {
    await repo.setSubprogrammes(trx, applicationId, callCode, organisationId, subs);
  } catch (e) {
    if (isUniqueViolation(e)) throw new Conflict('本单位在本批次已有该专项的申报书，每个单位每个专项只能申报一项', 'duplicate_subprogramme', { path: 'subProgrammes' });
    throw e;
  }
}

async function toView(ctx: AppContext, row: ApplicationRow, actor: Actor): Promise<ApplicationView> {
  const call = await getCall(ctx, row.call_code);
  const org = await findOrganisationById(ctx.db, row.organisation_id);
  const data = JSON.parse(row.data) as TApplicationData;
  const state = windowState(ctx.clock.now(), call.window);
  const status = row.status as TApplicationStatus;
  const owner = canWriteApplication(actor, row);
  // the owner's next save of this version need not read it again
  if (owner && EDITABLE_STATUSES.includes(status))
    savedDataCache(ctx.db).set(row.id, savedData(row.version, row.revision, row.data, data, row.call_code, row.organisation_id), { size: row.data.length });
  return {
    id: row.id,
    callCode: row.call_code,
    orgType: (org?.type ?? 'national-society') as TOrgType,
    organisationName: org?.name ?? '',
    version: row.version,
    status,
    number: row.number,
    submittedAt: row.submitted_at,
    updatedAt: row.updated_at,
    contentHash: row.submitted_hash,
    data,
    issues: validateApplication(data, ruleContext(call, org?.type ?? 'national-society')),
    editable: owner && EDITABLE_STATUSES.includes(status) && state !== 'closed',
    withdrawable: owner && status === 'submitted' && state === 'open',
    deadlineText: formatDeadline(call.window.closes),
  };
}

/**
 * When a change was refused because the window had closed, record the attempt (who, which
 * application, when) before passing the refusal on, as refused submits are: a dispute about
 * a late change can then be settled from the audit log. Call it outside any transaction
 * (after it rolled back): on SQLite a write beside an open transaction would wait for it.
 */
async function auditLateAttempt(ctx: AppContext, actor: Actor, id: string, action: string, at: Date, error: unknown): Promise<void> {
  if (error instanceof DeadlinePassed)
    await insertAudit(ctx.db, { at, actorUserId: actor.userId, organisationId: actor.organisationId, action, entityType: 'application', entityId: id, details: { code: error.code }, ip: actor.ip });
}

/**
 * Create a draft application for the caller's organisation in a call. `data` may be
 * partial but must name a valid sub-programme combination the organisation may lead and
 * does not already hold in the call (one application per organisation per sub-programme).
 * Errors: Forbidden (not an applicant), NotFound (call), DeadlinePassed, Invalid,
 * Conflict `duplicate_subprogramme`.
 */
export async function createApplication(ctx: AppContext, actor: Actor, input: { callCode: string; data: TApplicationData }): Promise<ApplicationView> {
  const at = ctx.clock.now();
  const organisationId = requireApplicant(actor);
  const call = await getCall(ctx, input.callCode);
  assertWindowNotClosed(call, at);
  const org = await findOrganisationById(ctx.db, organisationId);
  const subs = input.data.subProgrammes ?? [];
  const spErrors = subprogrammeErrors(validateApplication(input.data, ruleContext(call, org!.type)));
  if (spErrors.length) throw new Invalid(spErrors.map((e) => e.message).join('；'), spErrors.map((e) => ({ path: `data.${e.path}`, message: e.message })));
  const now = at.toISOString();
  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    await assertSubprogrammesFree(trx, call.code, organisationId, subs, null, call);
    await repo.insertApplication(trx, {
      id,
      call_code: call.code,
      organisation_id: organisationId,
      status: 'draft',
      version: 1,
      number: null,
      data: JSON.stringify(input.data),
      submitted_at: null,
      submitted_data: null,
      submitted_hash: null,
      revision: randomUUID(),
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
    });
    await holdSubprogrammes(trx, id, call.code, organisationId, subs);
    await insertAudit(trx, { at, actorUserId: actor.userId, organisationId, action: 'application.create', entityType: 'application', entityId: id, details: { subProgrammes: subs }, ip: actor.ip });
  });
  return getApplication(ctx, actor, id);
}

/** One application the actor may read. Errors: NotFound. */
export async function getApplication(ctx: AppContext, actor: Actor, id: string): Promise<ApplicationView> {
  const row = await loadReadable(ctx.db, ctx, actor, id);
  return toView(ctx, row, actor);
}

/**
 * The caller's applications (applicants: their organisation's only; funder admins: all
 * they may read, optionally filtered by organisation), each with its organisation's name
 * (申报单位). An applicant filtering by another organisation gets Forbidden.
 *
 * `organisation` finds a 申报单位 by what a funder types: a part of its name (ASCII letters
 * in either case; `%`, `_` and `\` taken literally) or the beginning of its 统一社会信用代码
 * (repository: organisationMatches). It only narrows: an applicant's list stays its own
 * organisation's whatever is typed. The organisations come in the same query as the
 * applications and the calls in one more (at most), never one read per line.
 */
export async function listApplications(
  ctx: AppContext,
  actor: Actor,
  filter: { callCode?: string; status?: string; organisationId?: string; organisation?: string },
): Promise<ApplicationSummary[]> {
  let organisationId = filter.organisationId;
  if (actor.role !== 'funder_admin') {
    const own = requireApplicant(actor);
    if (organisationId && organisationId !== own) throw new Forbidden('只能查看本单位的申报书');
    organisationId = own;
  }
  // staff never read drafts (policy): leave them out in the query too, the policy still decides each line
  const scoped = { ...filter, organisationId, excludeDrafts: actor.role === 'funder_admin' };
  const rows = (await repo.listApplications(ctx.db, ctx.dialect, scoped)).filter((r) => canReadApplication(actor, r));
  const calls = await getCalls(ctx, rows.map((r) => r.call_code));
  const out: ApplicationSummary[] = [];
  for (const r of rows) {
    const call = calls.get(r.call_code)!;
    const org = { type: r.organisation_type, name: r.organisation_name };
    const data = JSON.parse(r.data) as TApplicationData;
    const issues = validateApplication(data, ruleContext(call, org.type));
    out.push({
      id: r.id,
      callCode: r.call_code,
      organisationName: org.name,
      status: r.status as TApplicationStatus,
      number: r.number,
      projectName: data.projectName ?? '',
      subProgrammes: data.subProgrammes ?? [],
      version: r.version,
      updatedAt: r.updated_at,
      submittedAt: r.submitted_at,
      errorCount: issues.filter((i) => i.level === 'error').length,
      // as the editor shows the draft when it is opened (domain/form/unfilled.ts)
      unfilledCount: countUnfilledWhenOpened(data, issues),
      warningCount: issues.filter((i) => i.level === 'warning').length,
    });
  }
  return out;
}

/**
 * Save a draft. `version` is the version the client's edit was based on; a stale version
 * is refused with Conflict `version_conflict` carrying the current version and data, so
 * nothing is overwritten silently. Refused after the window closes (DeadlinePassed) and
 * for a submitted application (Conflict `not_editable`). Returns the new version and its
 * time. The rules are not run here (they do not block a draft; the editor runs the same
 * rules as the user types, GET returns them and submit enforces them), except the
 * sub-programme rules when the sub-programmes change.
 *
 * This is the deadline-day hot path. When this process saved or opened the base version
 * (saved-data-cache.ts) and the sub-programmes stay as they were, the application is not
 * read at all; otherwise it is read without a lock. Either way the write and its audit
 * record happen only if the row is still at the base version and revision, editable and the
 * actor's organisation's — one statement on PostgreSQL (see repo.saveWithAudit) — and
 * every query is compiled once. A remembered base that the write finds gone is forgotten,
 * and the save is decided again on what is stored.
 */
export async function saveApplication(ctx: AppContext, actor: Actor, id: string, input: { version: number; data: TApplicationData }): Promise<{ version: number; updatedAt: string }> {
  const at = ctx.clock.now();
  const json = JSON.stringify(input.data);
  const cache = savedDataCache(ctx.db);
  const known = cache.get(id);
  // the call and organisation never change; changed sub-programmes are checked on what is stored
  if (known && known.version === input.version && canWriteApplication(actor, { organisation_id: known.organisationId }) && sameSubprogrammes(known.subProgrammes, input.data.subProgrammes)) {
    const call = await callOpenForSave(ctx, actor, id, known.callCode, at);
    const written = await writeDraft(ctx, actor, id, input.data, json, at, known, JSON.parse(known.json), call);
    if (written) return written;
    // the row moved on (another tab, a submit) or is not what this process remembers
    cache.delete(id);
  }
  // no lock: the write happens only if the row is still at the version and revision read
  const row = await loadWritable(ctx.db, ctx, actor, id, false);
  const call = await callOpenForSave(ctx, actor, id, row.call_code, at);
  if (!isSavable(row, input.version)) throw unsavable(row);
  const baseData = JSON.parse(row.data) as TApplicationData;
  const base = savedData(row.version, row.revision, row.data, baseData, row.call_code, row.organisation_id);
  const written = await writeDraft(ctx, actor, id, input.data, json, at, base, baseData, call);
  if (written) return written;
  // someone else changed it between the read and the write: say what it is now
  throw unsavable(await loadWritable(ctx.db, ctx, actor, id, false));
}

/**
 * The call of an application, if its window is still open at `at` for a save; a save
 * refused after the deadline is audited (DeadlinePassed).
 */
async function callOpenForSave(ctx: AppContext, actor: Actor, id: string, callCode: string, at: Date): Promise<TCallDefinition> {
  const call = await getCall(ctx, callCode);
  try {
    assertWindowNotClosed(call, at);
  } catch (e) {
    await auditLateAttempt(ctx, actor, id, 'application.save_refused', at, e);
    throw e;
  }
  return call;
}

/** Whether two drafts' 申报专项 lists name the same sub-programmes, in the same order. */
function sameSubprogrammes(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((s, i) => s === y[i]);
}

/** A cache entry (saved-data-cache.ts) for the stored data `json`, whose parse is `data`. */
function savedData(version: number, revision: string, json: string, data: TApplicationData, callCode: string, organisationId: string): SavedData {
  return { version, revision, json, subProgrammes: [...(data.subProgrammes ?? [])], callCode, organisationId };
}

/**
 * Write a draft based on `base` (the stored application at one version and revision, whose
 * data parses to `baseData`) with its audit record: which fields changed from `baseData`. When the sub-programmes change,
 * their rules and the one-per-organisation key are checked in the same transaction. Returns
 * the new version and time and remembers the draft for the next save; null when the row is
 * no longer at `base` (nothing written). Errors: Invalid (sub-programme rules), Conflict
 * `duplicate_subprogramme`.
 */
async function writeDraft(ctx: AppContext, actor: Actor, id: string, data: TApplicationData, json: string, at: Date, base: SavedData, baseData: TApplicationData, call: TCallDefinition): Promise<{ version: number; updatedAt: string } | null> {
  const now = at.toISOString();
  const write = { data: json, updatedAt: now, revision: randomUUID() };
  const audit = {
    at: now,
    actorUserId: actor.userId,
    organisationId: base.organisationId,
    details: JSON.stringify({ fromVersion: base.version, toVersion: base.version + 1, changed: changedPaths(baseData, data) }),
    ip: actor.ip ?? null,
  };
  let saved: boolean;
  if (sameSubprogrammes(base.subProgrammes, data.subProgrammes)) {
    saved = await repo.saveWithAudit(ctx.db, ctx.dialect, id, base, write, audit);
  } else {
    const issues = validateApplication(data, ruleContext(call, await organisationType(ctx, ctx.db, base.organisationId)));
    const spErrors = subprogrammeErrors(issues);
    if (spErrors.length) throw new Invalid(spErrors.map((e) => e.message).join('；'), spErrors.map((e) => ({ path: `data.${e.path}`, message: e.message })));
    const newSubs = data.subProgrammes ?? [];
    saved = await ctx.db.transaction().execute(async (trx) => {
      if (!(await repo.saveDataIfVersion(trx, ctx.dialect, id, base.organisationId, base, write))) return false;
      await assertSubprogrammesFree(trx, base.callCode, base.organisationId, newSubs, id, call);
      await holdSubprogrammes(trx, id, base.callCode, base.organisationId, newSubs);
      await repo.insertSaveAudit(trx, ctx.dialect, id, audit);
      return true;
    });
  }
  if (!saved) return null;
  savedDataCache(ctx.db).set(id, savedData(base.version + 1, write.revision, json, data, base.callCode, base.organisationId), { size: json.length });
  return { version: base.version + 1, updatedAt: now };
}

const CONFLICT_MESSAGE = '该申报书已在其他窗口或设备上被修改，请核对两边的内容后再保存';

/** Whether a save based on `version` may be written: the application is editable and still at that version. */
function isSavable(row: Pick<ApplicationRow, 'status' | 'version'>, version: number): boolean {
  return EDITABLE_STATUSES.includes(row.status as TApplicationStatus) && row.version === version;
}

/**
 * Why a save cannot be written on this stored row: Conflict `not_editable` (it was
 * submitted) or `version_conflict` with the current version and data, so the editor can
 * show both sides.
 */
function unsavable(row: ApplicationRow): Conflict {
  if (!EDITABLE_STATUSES.includes(row.status as TApplicationStatus))
    return new Conflict('申报书已提交，不能修改。如需修改，请在截止前先撤回。', 'not_editable', { status: row.status });
  return new Conflict(CONFLICT_MESSAGE, 'version_conflict', { current: { version: row.version, data: JSON.parse(row.data), updatedAt: row.updated_at } });
}

/**
 * Submit inside the window by the server's clock. Idempotent: submitting an application
 * that is already submitted returns its number and time, so two submits at once give one
 * submission and one 申报编号. The number is given at first submission and kept when the
 * application is withdrawn and submitted again (a new one if its 专项 changed meanwhile,
 * domain/numbering.ts). The clock is read once: the instant checked against the deadline
 * is the 提交时间 stored. Errors: DeadlinePassed, Conflict
 * `window_not_open` / `not_editable` / `organisation_pending`, DomainError `has_errors`
 * (422, with the issues). Refused attempts are recorded in the audit log.
 */
export async function submitApplication(ctx: AppContext, actor: Actor, id: string): Promise<{ number: string; submittedAt: string; status: TApplicationStatus; contentHash: string }> {
  // loaded once per process (about a second), before any transaction is open
  const fonts = loadFonts();
  const at = ctx.clock.now();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const row = await loadWritable(trx, ctx, actor, id);
      if (row.status === 'submitted' && row.number && row.submitted_at)
        return { number: row.number, submittedAt: row.submitted_at, status: 'submitted' as const, contentHash: row.submitted_hash ?? '' };
      const call = await getCall(ctx, row.call_code, trx);
      const state = windowState(at, call.window);
      if (state === 'closed') throw new DeadlinePassed(formatDeadline(call.window.closes));
      if (state === 'before') throw new Conflict(`申报尚未开始，开始日期为 ${call.window.opens}（北京时间）`, 'window_not_open');
      if (!EDITABLE_STATUSES.includes(row.status as TApplicationStatus))
        throw new Conflict(`申报书当前状态为“${row.status}”，不能提交`, 'not_editable', { status: row.status });
      const org = await findOrganisationById(trx, row.organisation_id);
      if (org?.verification !== 'verified')
        throw new Conflict('本单位的统一社会信用代码尚待人工核验，核验通过后方可提交。请联系申报系统技术支持。', 'organisation_pending');
      const data = JSON.parse(row.data) as TApplicationData;
      const issues = validateApplication(data, ruleContext(call, org.type));
      if (hasErrors(issues)) {
        const n = issues.filter((i) => i.level === 'error').length;
        throw new DomainError(`申报书还有 ${n} 处错误，请在“自查”中逐项修改后再提交`, 'has_errors', { issues });
      }
      // the paper copy must be printable: after the deadline nothing can be changed any more
      const missing = findMissingGlyphs(data, fonts);
      if (missing.length) {
        const glyphIssues: FormIssue[] = missing.map((m) => ({
          path: m.path,
          level: 'error',
          code: 'text.no_glyph',
          message: `第 ${m.index} 个字符“${m.char}”（${codePointText(m.codePoint)}）无法打印：申报书字体中没有这个字符，请改用常用字或以文字说明`,
        }));
        throw new DomainError(`申报书中有 ${missing.length} 个字符无法打印，请在“自查”中逐项修改后再提交`, 'has_errors', { issues: [...issues, ...glyphIssues] });
      }
      const prefix = numberPrefix(call, data.subProgrammes ?? []);
      // kept when withdrawn and submitted again, unless the 专项 (and so the prefix) changed
      const keep = row.number !== null && numberFits(row.number, call.year, prefix);
      const number = keep ? row.number! : formatApplicationNumber(call.year, prefix, await repo.nextSequence(trx, call.code, prefix));
      const now = at.toISOString();
      const hash = contentHash(data);
      const ok = await repo.updateApplicationIfVersion(trx, id, row.version, {
        status: 'submitted',
        number,
        submitted_at: now,
        submitted_data: row.data,
        submitted_hash: hash,
        version: row.version + 1,
        updated_at: now,
      });
      if (!ok) throw new Conflict('申报书刚刚被修改，请重新提交', 'version_conflict');
      await insertAudit(trx, {
        at,
        actorUserId: actor.userId,
        organisationId: row.organisation_id,
        action: 'application.submit',
        entityType: 'application',
        entityId: id,
        details: { number, contentHash: hash, version: row.version + 1, ...(row.number && !keep ? { previousNumber: row.number } : {}) },
        ip: actor.ip,
      });
      return { number, submittedAt: now, status: 'submitted' as const, contentHash: hash };
    });
  } catch (e) {
    if (e instanceof DomainError && e.code !== 'not_found') {
      await insertAudit(ctx.db, {
        at,
        actorUserId: actor.userId,
        organisationId: actor.organisationId,
        action: 'application.submit_refused',
        entityType: 'application',
        entityId: id,
        details: { code: e.code, message: e.message },
        ip: actor.ip,
      });
    }
    throw e;
  }
}

/**
 * Withdraw a submitted application back to draft, only while the window is open. The
 * 申报编号 is kept. Errors: DeadlinePassed, Conflict `not_editable`.
 */
export async function withdrawApplication(ctx: AppContext, actor: Actor, id: string): Promise<{ status: TApplicationStatus; version: number }> {
  const at = ctx.clock.now();
  return withdrawInTransaction(ctx, actor, id, at).catch(async (e: unknown) => {
    await auditLateAttempt(ctx, actor, id, 'application.withdraw_refused', at, e);
    throw e;
  });
}

async function withdrawInTransaction(ctx: AppContext, actor: Actor, id: string, at: Date): Promise<{ status: TApplicationStatus; version: number }> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await loadWritable(trx, ctx, actor, id);
    const call = await getCall(ctx, row.call_code, trx);
    assertWindowNotClosed(call, at);
    if (row.status !== 'submitted') throw new Conflict('只有已提交的申报书可以撤回', 'not_editable', { status: row.status });
    const now = at.toISOString();
    const ok = await repo.updateApplicationIfVersion(trx, id, row.version, { status: 'draft', version: row.version + 1, updated_at: now });
    if (!ok) throw new Conflict('申报书刚刚被修改，请刷新后重试', 'version_conflict');
    await insertAudit(trx, { at, actorUserId: actor.userId, organisationId: row.organisation_id, action: 'application.withdraw', entityType: 'application', entityId: id, details: { number: row.number }, ip: actor.ip });
    return { status: 'draft' as const, version: row.version + 1 };
  });
}

/**
 * What a document is printed from: the submitted snapshot when there is one, else the
 * current data (printed with a 草稿 watermark). Errors: NotFound.
 */
export async function documentSource(ctx: AppContext, actor: Actor, id: string) {
  const row = await loadReadable(ctx.db, ctx, actor, id);
  const call = await getCall(ctx, row.call_code);
  const submitted = row.status !== 'draft' && row.submitted_data !== null;
  const data = JSON.parse(submitted ? row.submitted_data! : row.data) as TApplicationData;
  return {
    row,
    call,
    data,
    number: row.number,
    status: row.status as TApplicationStatus,
    submitted,
    contentHash: submitted ? row.submitted_hash! : contentHash(data),
  };
}

/** For the attachment feature: the application row if the actor may read it. */
export { loadReadable as loadReadableApplication, loadWritable as loadWritableApplication, assertWindowNotClosed };
