import { z } from 'zod';
import { isIsoDate } from '../deadline';

/**
 * A call (申报通知/批次) as data: the definition file under `calls/` (the 2023 call is
 * `calls/2023-xhgf.json`), validated by {@link ZCallDefinition}. Money in 万元 text, dates
 * date-only in 北京时间.
 */

/** Organisation types (application-data.md, "Applicant organisations"). */
export const ORG_TYPES = ['national-society', 'enterprise-association', 'park-association'] as const;
export type TOrgType = (typeof ORG_TYPES)[number];

/** Partner unit types: the organisation types plus any other organisation. */
export const PARTNER_TYPES = [...ORG_TYPES, 'other'] as const;
export type TPartnerType = (typeof PARTNER_TYPES)[number];

/** Chinese labels of organisation and partner types. */
export const ORG_TYPE_LABELS: Record<TPartnerType, string> = {
  'national-society': '全国学会、协会、研究会',
  'enterprise-association': '企业科协（含科技型骨干企业科协）',
  'park-association': '园区科协',
  other: '其他单位（高校、企业、科研院所等）',
};

const dateText = z.string().refine((s) => isIsoDate(s) || !Number.isNaN(Date.parse(s)), '应为日期 YYYY-MM-DD 或 ISO 时刻');

/** One sub-programme (专项) of a call. */
export const ZSubProgramme = z.object({
  code: z.string().min(1),
  numberPrefix: z.string().regex(/^[A-Z]{2}$/),
  ordinal: z.string(),
  name: z.string(),
  shortName: z.string(),
  content: z.string(),
  indicators: z.array(z.string()),
  platformNote: z.string(),
  applicantText: z.string(),
  /** Organisation types that may lead alone. */
  leadTypes: z.array(z.enum(ORG_TYPES)),
  /** Types that may lead only jointly, with a national society among the partner units. */
  jointLeadTypes: z.array(z.enum(ORG_TYPES)),
  quota: z.number().int().positive(),
  quotaApprox: z.boolean(),
  quotaText: z.string(),
  /** Guide funding per project, 万元. */
  guideFundingWan: z.string().regex(/^\d+(\.\d{1,4})?$/),
  fundingText: z.string(),
  /** For a tracking programme: the sub-programmes it may follow (trackingTrack). */
  tracks: z.array(z.string()),
});
export type TSubProgramme = z.infer<typeof ZSubProgramme>;

/** A whole call definition. */
export const ZCallDefinition = z.object({
  code: z.string().regex(/^[0-9a-z-]+$/),
  year: z.number().int(),
  title: z.string(),
  noticeTitle: z.string(),
  issuer: z.string(),
  noticeDate: dateText,
  summary: z.string(),
  applicants: z.string(),
  window: z.object({ opens: dateText, closes: dateText }),
  implementationDeadline: dateText,
  subProgrammes: z.array(ZSubProgramme).min(1),
  requirements: z.array(z.string()),
  ineligibility: z.array(z.string()),
  procedure: z.array(z.string()),
  contacts: z.array(z.object({ role: z.string(), name: z.string().optional(), unit: z.string().optional(), phone: z.string() })),
  mailing: z.object({
    unit: z.string(),
    contact: z.string(),
    phone: z.string(),
    email: z.string(),
    address: z.string(),
    copies: z.number().int().positive(),
  }),
  cc: z.string().optional(),
});
export type TCallDefinition = z.infer<typeof ZCallDefinition>;

/** The sub-programme with `code`, or undefined. */
export function findSubProgramme(call: TCallDefinition, code: string): TSubProgramme | undefined {
  return call.subProgrammes.find((s) => s.code === code);
}

/** The tracking sub-programme codes of a call (those that follow other tracks). */
export function trackingCodes(call: TCallDefinition): string[] {
  return call.subProgrammes.filter((s) => s.tracks.length > 0).map((s) => s.code);
}
