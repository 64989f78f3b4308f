import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * The database schema, the one place table interfaces live (STYLE.md, kysely). Instants
 * are ISO-8601 UTC text, JSON is text, ids are UUID text; the same columns work on SQLite
 * and PostgreSQL.
 */
export interface Database {
  organisations: OrganisationTable;
  users: UserTable;
  sessions: SessionTable;
  calls: CallTable;
  applications: ApplicationTable;
  application_subprogrammes: ApplicationSubprogrammeTable;
  number_sequences: NumberSequenceTable;
  attachments: AttachmentTable;
  audit_log: AuditTable;
}

export interface OrganisationTable {
  id: string;
  name: string;
  /** 统一社会信用代码, normalised, unique */
  uscc: string;
  type: string;
  /** 'verified' | 'pending' (code failed the GB 32100 check, waits for manual verification) */
  verification: string;
  created_at: string;
}

export interface UserTable {
  id: string;
  organisation_id: string | null;
  /** 'applicant' | 'funder_admin' */
  role: string;
  name: string;
  /** lower-cased, unique */
  email: string;
  mobile: string;
  password_hash: string;
  created_at: string;
  password_changed_at: string;
}

export interface SessionTable {
  /** SHA-256 hex of the cookie token; the token itself is never stored */
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

export interface CallTable {
  code: string;
  /** the call definition JSON (ZCallDefinition) */
  definition: string;
  created_at: string;
  updated_at: string;
}

export interface ApplicationTable {
  id: string;
  call_code: string;
  organisation_id: string;
  status: string;
  version: number;
  /** 申报编号, given at first submission */
  number: string | null;
  /** application data JSON as the client sent it */
  data: string;
  submitted_at: string | null;
  /** data JSON frozen at submission */
  submitted_data: string | null;
  /** first 8 hex of SHA-256 of the canonical submitted data */
  submitted_hash: string | null;
  /**
   * random token written with every change of `data` (migration 20261129T000000): with
   * `version` it names one text even if a version number is ever used again
   */
  revision: ColumnType<string, string | undefined, string>;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** One row per (call, organisation, sub-programme): the one-application-per-sub-programme rule as a unique key. */
export interface ApplicationSubprogrammeTable {
  application_id: string;
  call_code: string;
  organisation_id: string;
  sub_programme: string;
}

export interface NumberSequenceTable {
  call_code: string;
  prefix: string;
  last_seq: number;
}

export interface AttachmentTable {
  id: string;
  application_id: string;
  file_name: string;
  mime: string;
  size: number;
  sha256: string;
  content: Buffer;
  uploaded_by: string;
  created_at: string;
}

export interface AuditTable {
  id: Generated<number>;
  at: string;
  actor_user_id: string | null;
  organisation_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  /** JSON */
  details: string;
  ip: string | null;
}

export type Organisation = Selectable<OrganisationTable>;
export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type Session = Selectable<SessionTable>;
export type ApplicationRow = Selectable<ApplicationTable>;
export type ApplicationUpdate = Updateable<ApplicationTable>;
export type AttachmentRow = Selectable<AttachmentTable>;
export type AuditRow = Selectable<AuditTable>;
export type _Unused = ColumnType<string>;
