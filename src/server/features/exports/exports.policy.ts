import type { Actor } from '../../http/context';
import { canReadApplication } from '../applications/applications.policy';

/**
 * Who may export a call's applications (the .xlsx summary, the .zip of printed 申报书):
 * funder admins only (DESIGN.md, roles: the funding department screens what was submitted
 * to it). An applicant administrator, even of an organisation in the export, may not: the
 * export holds every organisation's data.
 */
export function canExportCall(actor: Actor): boolean {
  return actor.role === 'funder_admin';
}

/**
 * Whether one application goes into an export for `actor`: exactly what the actor may read
 * one by one ({@link canReadApplication}: for funder admins, anything but a draft).
 */
export function canExportApplication(actor: Actor, app: { organisation_id: string; status: string }): boolean {
  return canExportCall(actor) && canReadApplication(actor, app);
}
