import { emptyApplication, isUnfilled, sectionOf, type FormIssue, type TApplicationData } from '../../../domain';
import { getPath } from '../../lib/paths';

/**
 * When an empty required value is shown as a neutral "未填写" instead of a red error.
 *
 * The rules (src/domain/form/rules.ts) find every problem at once, and all of them block
 * submission. The editor only chooses how to show them: an {@link isUnfilled} error is
 * held back as "未填写" (grey, counted as "N 项未填写") while
 * - the person has not yet visited and left that field in this session (`touched`), and
 * - its section is not one the person has already worked on (`workedSections`), and
 * - the person has not asked for the self-check or tried to submit (`showAll`).
 * Anything entered that breaks a rule (format, length, totals, dates…) is never held back.
 *
 * Reopened drafts: a section whose saved data already holds a value the person entered
 * counts as worked on, so the empty required fields of a half-filled section are red at
 * once when the draft is opened again, as they were when the person left them; sections
 * not yet started stay "未填写". The values prefilled from the registration when the draft
 * was created (see {@link PREFILLED_PATHS}), the defaults of a new draft and the 申报专项
 * chosen in the creation dialog do not count, so a new draft opens without red. (A secretary
 * who visited a field yesterday and left it empty, in a section with nothing else saved, sees
 * it as 未填写 again: the session's touched fields are not stored.)
 */
export interface IssueVisibility {
  showAll: boolean;
  touched: ReadonlySet<string>;
  workedSections: ReadonlySet<string>;
}

/** The values a new draft is created with from the registration (NewApplicationDialog). */
export const PREFILLED_PATHS = ['cover.applicantUnit', 'cover.contactName', 'cover.mobile', 'cover.email', 'applicantProfile.name'];

/** True when the issue is shown as "未填写" rather than as an error, for now. */
export function heldBackAsUnfilled(issue: FormIssue, v: IssueVisibility): boolean {
  if (v.showAll || !isUnfilled(issue) || v.touched.has(issue.path)) return false;
  const s = sectionOf(issue.path);
  return !(s && v.workedSections.has(s.key));
}

/**
 * The sections (keys of SECTIONS) whose saved data holds a value the person entered: any
 * non-blank text, number or ticked box that is neither a default of a new draft
 * (emptyApplication: 国家其他拨款 and 单位自筹 start at "0") nor prefilled, outside 申报专项.
 */
export function sectionsWithSavedContent(data: TApplicationData): Set<string> {
  const defaults = emptyApplication();
  const out = new Set<string>();
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
    else {
      const entered = typeof v === 'string' ? v.trim() !== '' : typeof v === 'number' || v === true;
      if (!entered || PREFILLED_PATHS.includes(path) || getPath(defaults, path) === v) return;
      const s = sectionOf(path);
      if (s && s.key !== 'programme') out.add(s.key);
    }
  };
  walk(data, '');
  return out;
}
