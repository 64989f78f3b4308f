import { unfilledWhenOpened, type FormIssue } from '../../../domain';

/**
 * When an empty required value is shown as a neutral "未填写" instead of a red error, in this
 * session of the editor.
 *
 * The rules (src/domain/form/rules.ts) find every problem at once, and all of them block
 * submission. The editor only chooses how to show them. When a draft is opened it shows them
 * as the dashboard counts them (src/domain/form/unfilled.ts, {@link unfilledWhenOpened}): an
 * empty required value is "未填写" unless its section already holds a value the person
 * entered (`workedSections`, from the data as loaded). From then on the session reddens more:
 * - a field the person has visited and left (`touched`) shows its error, and
 * - after 自查 or a submit attempt (`showAll`) every error shows as one.
 * Anything entered that breaks a rule (format, length, totals, dates…) is never held back.
 * The session's touched fields are not stored: a secretary who visited a field yesterday and
 * left it empty, in a section with nothing else saved, sees it as 未填写 again.
 */
export interface IssueVisibility {
  showAll: boolean;
  touched: ReadonlySet<string>;
  /** sectionsWithSavedContent (domain) of the data as loaded. */
  workedSections: ReadonlySet<string>;
}

/** True when the issue is shown as "未填写" rather than as an error, for now. */
export function heldBackAsUnfilled(issue: FormIssue, v: IssueVisibility): boolean {
  if (v.showAll || v.touched.has(issue.path)) return false;
  return unfilledWhenOpened(issue, v.workedSections);
}
