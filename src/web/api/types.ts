import type { TApplicationView } from '../../domain/api';
import type { TCallDefinition, TOrgType } from '../../domain';

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

/** The application API's shapes, from the schemas the server answers with (domain/api.ts). */
export type { TApplicationSummary, TAttachment, TSaveResult, TSubmitResult, TWithdrawResult } from '../../domain/api';
/** An application as GET /api/applications/:id returns it. */
export type TApplication = TApplicationView;

export interface TRegisterInput {
  organisation: { name: string; uscc: string; type: TOrgType };
  admin: { name: string; email: string; mobile: string; password: string };
  pendingVerification?: boolean;
}
