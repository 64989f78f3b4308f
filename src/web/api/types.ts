import type { FormIssue, TApplicationData, TApplicationStatus, TCallDefinition, TOrgType } from '../../domain';

/** Types of the HTTP API as the browser sees them (JSON). Instants are ISO strings. */

export interface TOrganisation {
  id: string;
  name: string;
  uscc: string;
  type: TOrgType;
  verification: 'verified' | 'pending';
}

export interface TUser {
  id: string;
  name: string;
  email: string;
  mobile: string;
  role: 'applicant' | 'funder_admin';
  organisation: TOrganisation | null;
}

export interface TSession {
  user: TUser | null;
  csrfToken: string;
  now: string;
  clockSimulated: boolean;
}

export type TCallState = 'before' | 'open' | 'closed';

export interface TCallSummary {
  code: string;
  title: string;
  window: { opens: string; closes: string };
  implementationDeadline: string;
  state: TCallState;
  deadlineText: string;
}

export type TCall = TCallDefinition & { state: TCallState; deadlineText: string };

export interface TApplicationSummary {
  id: string;
  callCode: string;
  status: TApplicationStatus;
  number: string | null;
  projectName: string | null;
  subProgrammes: string[];
  version: number;
  updatedAt: string;
  submittedAt: string | null;
  errorCount: number;
  warningCount: number;
}

export interface TApplication {
  id: string;
  callCode: string;
  orgType: TOrgType;
  version: number;
  status: TApplicationStatus;
  number: string | null;
  submittedAt: string | null;
  updatedAt: string;
  data: TApplicationData;
  issues: FormIssue[];
  editable: boolean;
  withdrawable: boolean;
}

/** What a save returns: the new version and its time (the rules run in the editor). */
export interface TSaveResult {
  version: number;
  updatedAt: string;
}

export interface TAttachment {
  id: string;
  fileName: string;
  size: number;
  mime: string;
  uploadedAt: string;
}

export interface TRegisterInput {
  organisation: { name: string; uscc: string; type: TOrgType };
  admin: { name: string; email: string; mobile: string; password: string };
  pendingVerification?: boolean;
}
