import { describe, expect, it } from 'vitest';
import { canReadApplication, canWriteApplication } from './applications.policy';

const own = { organisation_id: 'org-a', status: 'submitted' };
const draft = { organisation_id: 'org-a', status: 'draft' };
const applicantA = { userId: 'u1', role: 'applicant' as const, organisationId: 'org-a' };
const applicantB = { userId: 'u2', role: 'applicant' as const, organisationId: 'org-b' };
const orphan = { userId: 'u3', role: 'applicant' as const, organisationId: null };
const funder = { userId: 'u4', role: 'funder_admin' as const, organisationId: null };

describe('application policy', () => {
  it('lets the owning organisation read and write', () => {
    expect(canReadApplication(applicantA, own)).toBe(true);
    expect(canWriteApplication(applicantA, own)).toBe(true);
  });
  it('refuses another organisation both', () => {
    expect(canReadApplication(applicantB, own)).toBe(false);
    expect(canWriteApplication(applicantB, own)).toBe(false);
  });
  it('refuses an applicant without organisation', () => {
    expect(canReadApplication(orphan, own)).toBe(false);
    expect(canWriteApplication(orphan, own)).toBe(false);
  });
  it('lets funder admins read submitted applications but not drafts, and write neither', () => {
    expect(canReadApplication(funder, own)).toBe(true);
    expect(canReadApplication(funder, draft)).toBe(false);
    expect(canWriteApplication(funder, draft)).toBe(false);
    expect(canReadApplication(applicantA, draft)).toBe(true);
    expect(canWriteApplication(funder, own)).toBe(false);
  });
});
