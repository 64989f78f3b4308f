import { isUnfilled, type FormIssue } from './rules';

/**
 * The sections of the 申报书 in the template's order, for the section list, the self-check
 * page, the preview and the printed form. `prefixes` are the data paths a section owns.
 */
export interface SectionDef {
  key: string;
  /** Label as in the template. */
  title: string;
  /** Short label for the side list. */
  nav: string;
  prefixes: string[];
}

export const SECTIONS: SectionDef[] = [
  { key: 'programme', title: '申报专项', nav: '申报专项', prefixes: ['subProgrammes', 'trackingTrack'] },
  { key: 'cover', title: '封面', nav: '封面', prefixes: ['cover'] },
  { key: 's1', title: '一、项目名称', nav: '一、项目名称', prefixes: ['projectName'] },
  { key: 's2', title: '二、项目联系人', nav: '二、项目联系人', prefixes: ['contacts'] },
  { key: 's3', title: '三、申报单位情况', nav: '三、申报单位情况', prefixes: ['applicantProfile'] },
  { key: 's4', title: '四、立项依据及工作基础', nav: '四、立项依据', prefixes: ['basis'] },
  { key: 's5', title: '五、项目主要内容和方案', nav: '五、内容和方案', prefixes: ['plan'] },
  { key: 's6', title: '六、项目预期成果和效益', nav: '六、成果和效益', prefixes: ['outcomes'] },
  { key: 's7', title: '七、项目实施进度计划', nav: '七、进度计划', prefixes: ['schedule'] },
  { key: 's8', title: '八、项目负责人及主要参加人员', nav: '八、人员', prefixes: ['team'] },
  { key: 's9', title: '九、项目经费预算', nav: '九、经费预算', prefixes: ['budget'] },
  { key: 's10', title: '十、申报单位意见', nav: '十、单位意见', prefixes: ['eligibility', 'endorsement'] },
];

/** The section a data path belongs to ("budget.items[2].basis" → s9). */
export function sectionOf(path: string): SectionDef | undefined {
  return SECTIONS.find((s) => s.prefixes.some((p) => path === p || path.startsWith(p + '.') || path.startsWith(p + '[')));
}

/** What a section holds, for the section list: errors, 未填写 (held-back empty required values) and warnings. */
export interface SectionCounts {
  errors: number;
  /** Empty required values shown as "未填写" rather than as errors (they still block submission). */
  unfilled: number;
  warnings: number;
}

/**
 * Errors, 未填写 and warnings per section key. `heldBack(issue)` says whether an
 * {@link isUnfilled} error is, for now, shown as "未填写" (when a draft is opened
 * unfilled.ts's unfilledWhenOpened, then the editor's session, from what the person has
 * visited); without it every error counts as an error and `unfilled` is 0. Every issue of the
 * rules has a section, so the sections' counts add up to the whole form's.
 */
export function issuesBySection(issues: FormIssue[], heldBack: (issue: FormIssue) => boolean = () => false): Record<string, SectionCounts> {
  const out: Record<string, SectionCounts> = {};
  for (const s of SECTIONS) out[s.key] = { errors: 0, unfilled: 0, warnings: 0 };
  for (const i of issues) {
    const s = sectionOf(i.path);
    if (!s) continue;
    if (i.level === 'warning') out[s.key].warnings++;
    else if (isUnfilled(i) && heldBack(i)) out[s.key].unfilled++;
    else out[s.key].errors++;
  }
  return out;
}
