import { emptyApplication, type TApplicationData } from './application';
import { isUnfilled, type FormIssue } from './rules';
import { sectionOf } from './sections';

/*
 * What an opened draft shows as "未填写" (grey, not yet reached) rather than as a red error:
 * one definition for the dashboard's list (the list API's unfilledCount) and for the editor
 * when it opens the draft (its header, section list and fields before the person does
 * anything). The editor then reddens more as the person works (fields visited in the session,
 * 自查/提交: application-editor/issue-visibility.ts); that part is not stored and so is not here.
 *
 * Source: not a rule of the notice (every such error blocks submission like any other, see
 * rules.ts), but how the applicant's screens present the rules' findings (README, "The 申报书
 * editor"): a new draft is not a wall of red, and a draft reopened shows the empty fields of
 * the sections the person already worked on as errors, as they were when the person left them.
 */

/**
 * The values a new draft is created with from the registration (the dashboard's
 * NewApplicationDialog): 申报单位 on the cover and in 三、申报单位情况, the administrator's name,
 * mobile and e-mail as the cover's 联系人. The person did not type them into the form, so they do
 * not make a section count as worked on.
 */
export const PREFILLED_PATHS: readonly string[] = ['cover.applicantUnit', 'cover.contactName', 'cover.mobile', 'cover.email', 'applicantProfile.name'];

/**
 * The sections (keys of SECTIONS) whose saved data holds a value the person entered: any
 * non-blank text, any number or ticked box that is neither a default of a new draft
 * ({@link emptyApplication}: 国家其他拨款 and 单位自筹 start at "0") nor one of
 * {@link PREFILLED_PATHS}. 申报专项 never counts: it is chosen in the creation dialog, so every
 * draft has it. An empty table row (added, nothing typed) does not count either.
 */
export function sectionsWithSavedContent(data: TApplicationData): Set<string> {
  const out = new Set<string>();
  // `d` is the new draft's value at the same path (undefined inside lists: a new draft has none)
  const walk = (v: unknown, d: unknown, path: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, undefined, `${path}[${i}]`));
    else if (v && typeof v === 'object') {
      const dd = d && typeof d === 'object' && !Array.isArray(d) ? (d as Record<string, unknown>) : {};
      for (const [k, x] of Object.entries(v)) walk(x, dd[k], path ? `${path}.${k}` : k);
    } else {
      const entered = typeof v === 'string' ? v.trim() !== '' : typeof v === 'number' || v === true;
      if (!entered || v === d || PREFILLED_PATHS.includes(path)) return;
      const s = sectionOf(path);
      if (s && s.key !== 'programme') out.add(s.key);
    }
  };
  walk(data, emptyApplication(), '');
  return out;
}

/**
 * True when an opened draft shows the issue as "未填写" rather than as an error: it is an
 * {@link isUnfilled} error (a required value still empty or a declaration unticked) in a
 * section that is not among `workedSections` ({@link sectionsWithSavedContent} of the saved
 * data). Anything entered that breaks a rule, and every warning, is false. It still blocks
 * submission.
 */
export function unfilledWhenOpened(issue: FormIssue, workedSections: ReadonlySet<string>): boolean {
  if (!isUnfilled(issue)) return false;
  const s = sectionOf(issue.path);
  return !(s && workedSections.has(s.key));
}

/**
 * How many of the rules' findings `issues` on a draft's saved `data` the draft shows as
 * "未填写" when it is opened ({@link unfilledWhenOpened}): the list API's unfilledCount. The
 * dashboard shows it as "N 项未填写" and the other errors as "N 个错误", as the editor's header
 * does for the draft just opened.
 */
export function countUnfilledWhenOpened(data: TApplicationData, issues: readonly FormIssue[]): number {
  const worked = sectionsWithSavedContent(data);
  return issues.filter((i) => unfilledWhenOpened(i, worked)).length;
}
