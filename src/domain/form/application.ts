import { z } from 'zod';
import { LIMITS } from './limits';
import { PARTNER_TYPES } from '../calls/call';

/**
 * The application (申报书) as data: the contract of `shared/design/application-data.md`.
 * This schema checks the *shape* of what a client sends (types, lengths, row counts);
 * everything may be missing or empty in a draft. Whether the content is complete and
 * right is the job of the rules ({@link ./rules}), which give errors and warnings.
 * Objects are strict: an unknown key is refused with its path.
 */

const text = (max: number) => z.string().max(max, { message: `不能超过 ${max} 个字符` });
const short = text(LIMITS.short);
const medium = text(LIMITS.medium);
const cell = text(LIMITS.cell);
const long = text(LIMITS.longText);
/** 万元 amounts: string or number as typed; parsed exactly by the rules. */
const amount = z.union([z.string().max(32), z.number()]);

export const ZPerson = z.strictObject({
  name: short.optional(),
  mobile: short.optional(),
  email: short.optional(),
  title: short.optional(),
});

export const ZProjectLead = ZPerson.extend({
  fax: short.optional(),
  unitPhone: short.optional(),
});

export const ZPartnerUnit = z.strictObject({
  name: medium.optional(),
  head: short.optional(),
  phone: short.optional(),
  orgType: z.enum(PARTNER_TYPES, { message: `参与单位类型应为 ${PARTNER_TYPES.join(' / ')} 之一` }).optional().nullable(),
});

export const ZPhase = z.strictObject({
  from: short.optional(),
  to: short.optional(),
  goal: cell.optional(),
});

export const ZTeamMember = z.strictObject({
  name: short.optional(),
  age: z.union([z.number(), z.string().max(8)]).optional().nullable(),
  title: short.optional(),
  unit: medium.optional(),
  role: cell.optional(),
  note: cell.optional(),
});

export const ZBudgetItem = z.strictObject({
  content: medium.optional(),
  amount: amount.optional().nullable(),
  note: cell.optional(),
  basis: cell.optional(),
});

/** The whole application data; every key optional (a draft may be partial). */
export const ZApplicationData = z.strictObject({
  subProgrammes: z.array(z.string().max(32)).max(4).optional(),
  trackingTrack: z.string().max(32).nullable().optional(),
  projectName: text(LIMITS.projectName).optional(),
  cover: z
    .strictObject({
      applicantUnit: medium.optional(),
      contactName: short.optional(),
      phone: short.optional(),
      mobile: short.optional(),
      email: short.optional(),
      address: medium.optional(),
      applicationDate: short.optional(),
    })
    .optional(),
  contacts: z
    .strictObject({
      unitHead: ZPerson.optional(),
      projectLead: ZProjectLead.optional(),
      partnerUnits: z.array(ZPartnerUnit).max(LIMITS.partnerUnits, { message: `参与单位最多 ${LIMITS.partnerUnits} 个` }).optional(),
    })
    .optional(),
  applicantProfile: z
    .strictObject({
      name: medium.optional(),
      supervisor: medium.optional(),
      headName: short.optional(),
      nature: short.optional(),
      profile: long.optional(),
    })
    .optional(),
  basis: long.optional(),
  plan: long.optional(),
  outcomes: long.optional(),
  schedule: z
    .strictObject({
      start: short.optional(),
      end: short.optional(),
      phases: z.array(ZPhase).max(LIMITS.phases, { message: `进度计划最多 ${LIMITS.phases} 个阶段` }).optional(),
    })
    .optional(),
  team: z.array(ZTeamMember).max(LIMITS.team, { message: `人员最多 ${LIMITS.team} 人` }).optional(),
  budget: z
    .strictObject({
      castFunds: amount.optional().nullable(),
      otherNational: amount.optional().nullable(),
      selfRaised: amount.optional().nullable(),
      items: z.array(ZBudgetItem).max(LIMITS.budgetItems, { message: `支出预算最多 ${LIMITS.budgetItems} 项` }).optional(),
    })
    .optional(),
  eligibility: z
    .strictObject({
      annualInspectionOk: z.boolean().optional(),
      notUnderRectification: z.boolean().optional(),
      noFailedAcceptance: z.boolean().optional(),
      noAdministrativePenalty: z.boolean().optional(),
    })
    .optional(),
  endorsement: z
    .strictObject({
      agreed: z.boolean().optional(),
      accurate: z.boolean().optional(),
      signatory: short.optional(),
      date: short.optional(),
    })
    .optional(),
});

/** Application data as stored and exchanged. */
export type TApplicationData = z.infer<typeof ZApplicationData>;
export type TTeamMember = z.infer<typeof ZTeamMember>;
export type TBudgetItem = z.infer<typeof ZBudgetItem>;
export type TPhase = z.infer<typeof ZPhase>;
export type TPartnerUnit = z.infer<typeof ZPartnerUnit>;

/**
 * Convert a Zod issue path (["budget","items",2,"basis"]) to the contract's path text
 * ("budget.items[2].basis").
 */
export function pathText(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += (out ? '.' : '') + String(p);
  }
  return out;
}

/** An empty application for a new draft, with the chosen sub-programmes. */
export function emptyApplication(subProgrammes: string[] = [], trackingTrack: string | null = null): TApplicationData {
  return {
    subProgrammes,
    trackingTrack,
    projectName: '',
    cover: { applicantUnit: '', contactName: '', phone: '', mobile: '', email: '', address: '', applicationDate: '' },
    contacts: {
      unitHead: { name: '', mobile: '', email: '', title: '' },
      projectLead: { name: '', mobile: '', email: '', title: '', fax: '', unitPhone: '' },
      partnerUnits: [],
    },
    applicantProfile: { name: '', supervisor: '', headName: '', nature: '', profile: '' },
    basis: '',
    plan: '',
    outcomes: '',
    schedule: { start: '', end: '', phases: [] },
    team: [],
    budget: { castFunds: '', otherNational: '0', selfRaised: '0', items: [] },
    eligibility: { annualInspectionOk: false, notUnderRectification: false, noFailedAcceptance: false, noAdministrativePenalty: false },
    endorsement: { agreed: false, accurate: false, signatory: '', date: '' },
  };
}
