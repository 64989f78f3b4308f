import { z } from 'zod';
import { ORG_TYPES } from './calls/call';
import type { TApplicationData } from './form/application';
import { APPLICATION_STATUSES } from './lifecycle';

/**
 * The application API's response shapes, written once: the server declares its responses
 * with these schemas (fastify-type-provider-zod serialises through them, so nothing else
 * leaves), and the browser's types are inferred from them. Instants are ISO-8601 strings
 * (UTC); the pages show them in 北京时间.
 */

/** One finding of the rules (form/rules.ts FormIssue), located by the contract's path. */
export const ZFormIssue = z.object({ path: z.string(), level: z.enum(['error', 'warning']), code: z.string(), message: z.string() });

/** An application as GET /api/applications/:id returns it. */
export const ZApplicationView = z.object({
  id: z.string(),
  callCode: z.string(),
  /** The lead organisation's type: the rules depend on it. */
  orgType: z.enum(ORG_TYPES),
  organisationName: z.string(),
  version: z.number(),
  status: z.enum(APPLICATION_STATUSES),
  /** 申报编号, null until the first submission. */
  number: z.string().nullable(),
  submittedAt: z.string().nullable(),
  updatedAt: z.string(),
  /** Content hash of the submitted snapshot (documents/content-hash.ts), null before submission. */
  contentHash: z.string().nullable(),
  /**
   * The data as saved, returned as it was stored (validated by ZApplicationData on the way
   * in; not re-validated on the way out, so a later schema never hides a saved text).
   * Declared as any for the OpenAPI document, typed as TApplicationData for the code.
   */
  data: z.any() as z.ZodType<TApplicationData>,
  issues: z.array(ZFormIssue),
  /** The caller may save now (status and clock). */
  editable: z.boolean(),
  /** The caller may withdraw now (submitted, window open). */
  withdrawable: z.boolean(),
  /** The call's deadline, e.g. "2023年5月19日 24:00（北京时间）". */
  deadlineText: z.string(),
});
export type TApplicationView = z.infer<typeof ZApplicationView>;

/** A line of GET /api/applications. */
export const ZApplicationSummary = z.object({
  id: z.string(),
  callCode: z.string(),
  /** 申报单位: the name of the organisation that applies (an applicant sees only its own). */
  organisationName: z.string(),
  status: z.enum(APPLICATION_STATUSES),
  number: z.string().nullable(),
  projectName: z.string(),
  subProgrammes: z.array(z.string()),
  version: z.number(),
  updatedAt: z.string(),
  submittedAt: z.string().nullable(),
  /** errors that block submission, including the empty required values counted in unfilledCount */
  errorCount: z.number(),
  /** of errorCount, the required values still empty that the editor shows as 未填写 when it opens the draft (form/unfilled.ts countUnfilledWhenOpened) */
  unfilledCount: z.number(),
  warningCount: z.number(),
});
export type TApplicationSummary = z.infer<typeof ZApplicationSummary>;

/**
 * The longest `organisation` filter of GET /api/applications, in UTF-16 code units as the
 * browser's maxLength counts them: as long as an organisation's name may be (registration).
 */
export const ORGANISATION_FILTER_MAX = 100;

/** What PUT /api/applications/:id returns: the new version and its time. */
export const ZSaveResult = z.object({ version: z.number(), updatedAt: z.string() });
export type TSaveResult = z.infer<typeof ZSaveResult>;

/** What POST …/submit returns (the same again for a repeated submit). */
export const ZSubmitResult = z.object({ number: z.string(), submittedAt: z.string(), status: z.enum(APPLICATION_STATUSES), contentHash: z.string() });
export type TSubmitResult = z.infer<typeof ZSubmitResult>;

/** What POST …/withdraw returns. */
export const ZWithdrawResult = z.object({ status: z.enum(APPLICATION_STATUSES), version: z.number() });
export type TWithdrawResult = z.infer<typeof ZWithdrawResult>;

/** An attachment (附页) as listed and as an upload returns it; size in bytes. */
export const ZAttachment = z.object({ id: z.string(), fileName: z.string(), size: z.number(), mime: z.string(), uploadedAt: z.string() });
export type TAttachment = z.infer<typeof ZAttachment>;
