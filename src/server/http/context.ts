import type { Kysely } from 'kysely';
import type { Clock } from '../../domain/clock';
import type { Config } from '../config';
import type { Database } from '../db/database';
import type { Dialect } from '../db/connect';

/** What services need: the database, its dialect, the clock and the settings. */
export interface AppContext {
  db: Kysely<Database>;
  dialect: Dialect;
  clock: Clock;
  config: Config;
}

/** The caller of a request, as the session says. */
export interface Actor {
  userId: string;
  role: 'applicant' | 'funder_admin';
  organisationId: string | null;
  ip?: string | null;
}
