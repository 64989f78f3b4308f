/**
 * Size limits of the 申报书, enforced by the server schema ({@link ../form/application})
 * and shown by the form as counters before the user reaches them. Lengths are in
 * characters (code points) of the stored text.
 */
export const LIMITS = {
  /** Names, titles, phone numbers, short labels. */
  short: 100,
  /** Project name. */
  projectName: 100,
  /** Address, unit names. */
  medium: 200,
  /** A table cell of prose: a phase goal, a team member's role, an item's 测算依据. */
  cell: 2000,
  /** A long-text section (四、五、六 and the 单位简介). */
  longText: 30000,
  phases: 24,
  team: 50,
  budgetItems: 50,
  partnerUnits: 20,
  /** An attachment (附页), bytes. */
  attachmentBytes: 20 * 1024 * 1024,
  /** Attachments per application. */
  attachments: 20,
} as const;

/** Human text for the attachment size limit. */
export const ATTACHMENT_LIMIT_TEXT = '20 MB';
