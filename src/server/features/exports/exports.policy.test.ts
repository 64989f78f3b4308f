import { describe, expect, it } from 'vitest';
import { canExportApplication, canExportCall } from './exports.policy';

const applicant = { userId: 'u1', role: 'applicant' as const, organisationId: 'org-a' };
const funder = { userId: 'u2', role: 'funder_admin' as const, organisationId: null };

describe('export policy', () => {
  it('lets funder admins export a call, and no applicant, not even for its own applications', () => {
    expect(canExportCall(funder)).toBe(true);
    expect(canExportCall(applicant)).toBe(false);
    expect(canExportApplication(applicant, { organisation_id: 'org-a', status: 'submitted' })).toBe(false);
  });
  it('puts every status but draft into a funder admin’s export', () => {
    expect(canExportApplication(funder, { organisation_id: 'org-a', status: 'draft' })).toBe(false);
    for (const status of ['submitted', 'locked', 'accepted', 'returned', 'approved'])
      expect(canExportApplication(funder, { organisation_id: 'org-a', status })).toBe(true);
  });
});
