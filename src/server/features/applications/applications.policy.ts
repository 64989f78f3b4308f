import type { ApplicationRow } from '../../db/database';
import type { Actor } from '../../http/context';

/**
 * Object-level authorisation for applications (DESIGN.md, roles): an applicant
 * administrator reaches only its own organisation's applications; funder admins read what
 * was submitted to them (any status but draft: an unsubmitted draft is the organisation's
 * own work). An id in a URL proves nothing.
 */
export function canReadApplication(actor: Actor, app: Pick<ApplicationRow, 'organisation_id' | 'status'>): boolean {
  if (actor.role === 'funder_admin') return app.status !== 'draft';
  return actor.role === 'applicant' && actor.organisationId !== null && actor.organisationId === app.organisation_id;
}

/** Only the owning organisation's administrator edits, submits or withdraws. */
export function canWriteApplication(actor: Actor, app: Pick<ApplicationRow, 'organisation_id'>): boolean {
  return actor.role === 'applicant' && actor.organisationId !== null && actor.organisationId === app.organisation_id;
}
