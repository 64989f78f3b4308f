import type { TCallDefinition, TOrgType } from '../calls/call';
import { findSubProgramme, trackingCodes } from '../calls/call';
import { isIsoDate, isIsoMonth, monthIndex } from '../deadline';
import { formatWan, moneyProblemMessage, parseWan } from '../money';
import { countWords } from '../wordcount';
import type { TApplicationData } from './application';
import { computeBudget } from './budget';

/**
 * The rules of the 申报书 (application-data.md, "Rules the form enforces"). One piece of
 * code runs in the browser as the user types and on the server on save and submit.
 * Errors block submission; warnings do not.
 */

/** One finding, located by the contract's path ("budget.items[2].basis"). */
export interface FormIssue {
  path: string;
  level: 'error' | 'warning';
  code: string;
  message: string;
}

/** What the rules need besides the data: the call, and the organisation that leads. */
export interface RuleContext {
  call: TCallDefinition;
  /** Type of the registered organisation (the lead unit). */
  orgType: TOrgType;
}

/** Mobile number: 11 digits, 1[3-9]… (application-data.md). */
export const MOBILE_RE = /^1[3-9]\d{9}$/;
/** Landline with area code: 010-12345678, 0755-1234567, optional extension -123 or 转123. */
export const LANDLINE_RE = /^0\d{2,3}-?\d{7,8}(?:(?:-|转)\d{1,6})?$/;
/** E-mail address (a pragmatic check: local@domain.tld, no spaces). */
export const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

/** Minimum 字数 below which a long-text section gets a warning. */
export const LONG_TEXT_MIN_WORDS = 200;

const isBlank = (v: unknown) =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/**
 * Validate application data against the rules. Returns every error and warning; the
 * data may be partial (a draft). Pure: no I/O, no clock.
 */
export function validateApplication(data: TApplicationData, ctx: RuleContext): FormIssue[] {
  const out: FormIssue[] = [];
  const err = (path: string, code: string, message: string) => out.push({ path, level: 'error', code, message });
  const warn = (path: string, code: string, message: string) => out.push({ path, level: 'warning', code, message });
  const required = (path: string, value: unknown, label: string) => {
    if (isBlank(value)) {
      err(path, 'required', `请填写${label}`);
      return false;
    }
    return true;
  };
  const mobile = (path: string, value: unknown, label: string) => {
    if (required(path, value, label) && !MOBILE_RE.test(String(value).trim()))
      err(path, 'format.mobile', `${label}应为 11 位手机号码，以 13–19 开头，例如 13812345678`);
  };
  const landline = (path: string, value: unknown, label: string, isRequired = true) => {
    if (isRequired ? !required(path, value, label) : isBlank(value)) return;
    if (!LANDLINE_RE.test(String(value).trim()))
      err(path, 'format.landline', `${label}应为带区号的固定电话，例如 010-62178305`);
  };
  const email = (path: string, value: unknown, label: string) => {
    if (required(path, value, label) && !EMAIL_RE.test(String(value).trim()))
      err(path, 'format.email', `${label}格式不正确，例如 name@example.cn`);
  };
  const date = (path: string, value: unknown, label: string) => {
    if (required(path, value, label) && !isIsoDate(String(value).trim()))
      err(path, 'format.date', `${label}应为有效日期，格式 YYYY-MM-DD，例如 2023-05-12`);
  };

  const { call } = ctx;

  // 申报专项: one of the three, tracking alone, or one of the three plus tracking.
  const subs = data.subProgrammes ?? [];
  const tracking = trackingCodes(call);
  const unknown = subs.filter((s) => !findSubProgramme(call, s));
  const trackingChosen = subs.filter((s) => tracking.includes(s));
  const mainChosen = subs.filter((s) => findSubProgramme(call, s) && !tracking.includes(s));
  if (subs.length === 0) {
    err('subProgrammes', 'required', '请选择申报专项');
  } else if (unknown.length > 0) {
    err('subProgrammes', 'subprogramme.unknown', `本批次没有专项“${unknown.join('、')}”`);
  } else if (new Set(subs).size !== subs.length || mainChosen.length > 1 || trackingChosen.length > 1) {
    err(
      'subProgrammes',
      'subprogramme.combination',
      '申报专项组合不正确：只能申报团体标准、国际科技奖励、科技评估评价中的一个，或单独申报跟踪与服务专项，或其中一个与跟踪与服务专项合并申报',
    );
  }
  if (trackingChosen.length === 1) {
    const tp = findSubProgramme(call, trackingChosen[0])!;
    if (isBlank(data.trackingTrack)) {
      err('trackingTrack', 'required', '申报跟踪与服务专项时，请选择跟踪的专项方向（团体标准、国际科技奖励或科技评估评价）');
    } else if (!tp.tracks.includes(String(data.trackingTrack))) {
      err('trackingTrack', 'tracking.track', '跟踪方向应为团体标准、国际科技奖励或科技评估评价之一');
    }
  }

  // 申报主体: the lead unit's type must be admitted by every chosen sub-programme.
  const partners = data.contacts?.partnerUnits ?? [];
  const hasNationalPartner = partners.some((p) => p?.orgType === 'national-society');
  for (const code of subs) {
    const sp = findSubProgramme(call, code);
    if (!sp) continue;
    if (sp.leadTypes.includes(ctx.orgType)) continue;
    if (sp.jointLeadTypes.includes(ctx.orgType)) {
      if (!hasNationalPartner)
        err(
          'contacts.partnerUnits',
          'lead.joint_requires_society',
          `企业科协、园区科协申报${sp.shortName}专项须联合组织申报：参与单位中至少应有一个全国学会、协会、研究会`,
        );
      continue;
    }
    err('subProgrammes', 'lead.type', `${sp.ordinal}${sp.name}的申报主体为${sp.applicantText.replace(/。$/, '')}，本单位类型不可牵头申报`);
  }

  // 一、项目名称 and 封面
  required('projectName', data.projectName, '项目名称');
  const c = data.cover ?? {};
  required('cover.applicantUnit', c.applicantUnit, '封面“申报单位”');
  required('cover.contactName', c.contactName, '封面“联系人”');
  landline('cover.phone', c.phone, '封面“联系电话”');
  mobile('cover.mobile', c.mobile, '封面“手机”');
  email('cover.email', c.email, '封面“电子信箱”');
  required('cover.address', c.address, '封面“通讯地址”');
  date('cover.applicationDate', c.applicationDate, '封面“申请日期”');

  // 二、项目联系人
  const uh = data.contacts?.unitHead ?? {};
  required('contacts.unitHead.name', uh.name, '单位负责人姓名');
  mobile('contacts.unitHead.mobile', uh.mobile, '单位负责人手机');
  email('contacts.unitHead.email', uh.email, '单位负责人电子邮箱');
  required('contacts.unitHead.title', uh.title, '单位负责人职务/职称');
  const pl = data.contacts?.projectLead ?? {};
  required('contacts.projectLead.name', pl.name, '项目负责人姓名');
  mobile('contacts.projectLead.mobile', pl.mobile, '项目负责人手机');
  email('contacts.projectLead.email', pl.email, '项目负责人电子邮箱');
  required('contacts.projectLead.title', pl.title, '项目负责人职务/职称');
  landline('contacts.projectLead.fax', pl.fax, '传真', false);
  landline('contacts.projectLead.unitPhone', pl.unitPhone, '单位电话');
  partners.forEach((p, i) => {
    const base = `contacts.partnerUnits[${i}]`;
    required(`${base}.name`, p?.name, `第 ${i + 1} 个参与单位的名称`);
    required(`${base}.head`, p?.head, `第 ${i + 1} 个参与单位的单位负责人`);
    if (required(`${base}.phone`, p?.phone, `第 ${i + 1} 个参与单位的联系电话`)) {
      const v = String(p.phone).trim();
      if (!MOBILE_RE.test(v) && !LANDLINE_RE.test(v))
        err(`${base}.phone`, 'format.phone', `第 ${i + 1} 个参与单位的联系电话应为手机号码或带区号的固定电话`);
    }
    required(`${base}.orgType`, p?.orgType, `第 ${i + 1} 个参与单位的单位类型`);
  });

  // 三、申报单位情况
  const ap = data.applicantProfile ?? {};
  required('applicantProfile.name', ap.name, '单位名称');
  required('applicantProfile.supervisor', ap.supervisor, '上级主管单位');
  required('applicantProfile.headName', ap.headName, '负责人姓名');
  required('applicantProfile.nature', ap.nature, '单位性质');
  required('applicantProfile.profile', ap.profile, '单位简介');

  // 四、五、六 long texts
  const longTexts: [keyof TApplicationData, string][] = [
    ['basis', '四、立项依据及工作基础'],
    ['plan', '五、项目主要内容和方案'],
    ['outcomes', '六、项目预期成果和效益'],
  ];
  for (const [key, label] of longTexts) {
    if (required(key, data[key], label)) {
      const n = countWords(data[key]);
      if (n < LONG_TEXT_MIN_WORDS)
        warn(key, 'text.short', `${label}目前 ${n} 字，少于 ${LONG_TEXT_MIN_WORDS} 字，内容可能不够充分`);
    }
  }

  // 七、项目实施进度计划
  const sRaw = data.schedule ?? {};
  date('schedule.start', sRaw.start, '项目起始日期');
  date('schedule.end', sRaw.end, '项目结束日期');
  // compare the dates as date() checked them (trimmed), so " 2023-12-31" cannot slip past the deadline
  const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : v) as string | undefined;
  const s = { ...sRaw, start: trimmed(sRaw.start), end: trimmed(sRaw.end) };
  const startOk = isIsoDate(s.start);
  const endOk = isIsoDate(s.end);
  if (startOk && endOk && s.start! > s.end!) err('schedule.end', 'schedule.order', '项目结束日期不能早于起始日期');
  if (endOk && isIsoDate(call.implementationDeadline) && s.end! > call.implementationDeadline)
    err('schedule.end', 'schedule.deadline', `项目实施期限为 ${call.implementationDeadline.replace(/-/g, '.')} 前，结束日期不能晚于 ${call.implementationDeadline}`);
  const phases = s.phases ?? [];
  if (phases.length === 0) err('schedule.phases', 'required', '请至少填写一个进度阶段（起止时间和目标内容）');
  let prevTo: number | null = null;
  const ranges: [number, number][] = [];
  phases.forEach((ph, i) => {
    const base = `schedule.phases[${i}]`;
    const n = i + 1;
    const fromOk = required(`${base}.from`, ph?.from, `第 ${n} 阶段的起始年月`) && isIsoMonth(ph.from);
    if (!isBlank(ph?.from) && !fromOk) err(`${base}.from`, 'format.month', `第 ${n} 阶段的起始年月应为 YYYY-MM，例如 2023-06`);
    const toOk = required(`${base}.to`, ph?.to, `第 ${n} 阶段的结束年月`) && isIsoMonth(ph.to);
    if (!isBlank(ph?.to) && !toOk) err(`${base}.to`, 'format.month', `第 ${n} 阶段的结束年月应为 YYYY-MM，例如 2023-07`);
    required(`${base}.goal`, ph?.goal, `第 ${n} 阶段的目标内容`);
    const f = fromOk ? monthIndex(ph.from!) : null;
    const t = toOk ? monthIndex(ph.to!) : null;
    if (f !== null && t !== null && t < f) err(`${base}.to`, 'phase.order', `第 ${n} 阶段的结束年月早于起始年月`);
    if (startOk && f !== null && f < monthIndex(s.start!))
      err(`${base}.from`, 'phase.outside', `第 ${n} 阶段开始于项目起始日期（${s.start}）之前`);
    if (endOk && t !== null && t > monthIndex(s.end!))
      err(`${base}.to`, 'phase.outside', `第 ${n} 阶段结束于项目结束日期（${s.end}）之后`);
    if (startOk && t !== null && t < monthIndex(s.start!) && !(f !== null && f < monthIndex(s.start!)))
      err(`${base}.to`, 'phase.outside', `第 ${n} 阶段结束于项目起始日期（${s.start}）之前`);
    if (endOk && f !== null && f > monthIndex(s.end!) && !(t !== null && t > monthIndex(s.end!)))
      err(`${base}.from`, 'phase.outside', `第 ${n} 阶段开始于项目结束日期（${s.end}）之后`);
    if (f !== null && prevTo !== null && f < prevTo)
      err(`${base}.from`, 'phase.overlap', `第 ${n} 阶段的起始年月早于上一阶段结束的月份，请按时间先后排列各阶段`);
    if (t !== null) prevTo = t;
    if (f !== null && t !== null) ranges.push([f, t]);
  });
  // gaps (warning): months of the period that no phase covers
  if (startOk && endOk && s.start! <= s.end! && ranges.length > 0 && ranges.length === phases.length) {
    let cursor = monthIndex(s.start!);
    let gap = false;
    for (const [f, t] of ranges) {
      if (f > cursor) gap = true;
      cursor = Math.max(cursor, t + 1);
    }
    if (cursor <= monthIndex(s.end!)) gap = true;
    if (gap) warn('schedule.phases', 'phase.gap', '各阶段之间或与项目起止时间之间有未安排工作的月份，请确认进度计划是否完整');
  }

  // 八、项目负责人及主要参加人员
  const team = data.team ?? [];
  if (team.length === 0) err('team', 'required', '请至少填写一名项目负责人或主要参加人员');
  team.forEach((m, i) => {
    const base = `team[${i}]`;
    const n = i + 1;
    required(`${base}.name`, m?.name, `第 ${n} 位人员的姓名`);
    const ageText = m?.age === null || m?.age === undefined ? '' : String(m.age).trim();
    if (ageText === '') err(`${base}.age`, 'required', `请填写第 ${n} 位人员的年龄`);
    else if (!/^\d+$/.test(ageText) || Number(ageText) < 16 || Number(ageText) > 100)
      err(`${base}.age`, 'team.age', `第 ${n} 位人员的年龄应为 16 至 100 之间的整数`);
    required(`${base}.title`, m?.title, `第 ${n} 位人员的职务职称`);
    required(`${base}.unit`, m?.unit, `第 ${n} 位人员的工作单位`);
    required(`${base}.role`, m?.role, `第 ${n} 位人员在本项目中承担的主要工作`);
  });
  const leadName = typeof pl.name === 'string' ? pl.name.trim() : '';
  if (leadName && team.length > 0 && !team.some((m) => (m?.name ?? '').trim() === leadName))
    warn('team', 'team.lead_missing', `项目负责人“${leadName}”未列入项目负责人及主要参加人员表`);

  // 九、项目经费预算
  const b = data.budget ?? {};
  const money = (path: string, value: unknown, label: string): number | null => {
    const r = parseWan(value);
    if (!r.ok) {
      err(path, r.problem === 'empty' ? 'required' : `money.${r.problem}`, moneyProblemMessage(label, r.problem));
      return null;
    }
    return r.yuan;
  };
  const cast = money('budget.castFunds', b.castFunds, '申请中国科协经费');
  money('budget.otherNational', b.otherNational, '国家其他拨款');
  money('budget.selfRaised', b.selfRaised, '单位自筹');
  if (cast === 0) err('budget.castFunds', 'budget.cast_zero', '申请中国科协经费不能为 0');
  const items = b.items ?? [];
  if (items.length === 0) err('budget.items', 'required', '请填写经费支出预算表（至少一项支出）');
  items.forEach((it, i) => {
    const base = `budget.items[${i}]`;
    const n = i + 1;
    required(`${base}.content`, it?.content, `第 ${n} 项支出内容`);
    money(`${base}.amount`, it?.amount, `第 ${n} 项支出金额`);
    required(`${base}.basis`, it?.basis, `第 ${n} 项支出的测算依据`);
  });
  const totals = computeBudget(b);
  if (items.length > 0 && totals.totalYuan !== null && totals.itemsYuan !== null && totals.totalYuan !== totals.itemsYuan)
    err(
      'budget.items',
      'budget.sum_mismatch',
      `支出预算合计 ${formatWan(totals.itemsYuan)} 万元与经费总预算 ${formatWan(totals.totalYuan)} 万元不相等（相差 ${formatWan(Math.abs(totals.totalYuan - totals.itemsYuan))} 万元）`,
    );
  if (cast !== null && cast > 0) {
    let guide = 0;
    const known = subs.map((code) => findSubProgramme(call, code)).filter((x) => !!x);
    for (const sp of known) guide += parseWan(sp.guideFundingWan).ok ? (parseWan(sp.guideFundingWan) as { yuan: number }).yuan : 0;
    if (known.length > 0 && cast > guide)
      warn(
        'budget.castFunds',
        'budget.above_guide',
        `申请中国科协经费 ${formatWan(cast)} 万元高于所选专项的指导额度 ${formatWan(guide)} 万元（${known.map((k) => `${k.shortName}${k.fundingText}`).join('，')}）`,
      );
  }

  // 申报要求 3: eligibility declarations
  const el = data.eligibility ?? {};
  const decl: [keyof NonNullable<TApplicationData['eligibility']>, string][] = [
    ['annualInspectionOk', '近三年年检合格，无连续两年基本合格'],
    ['notUnderRectification', '未被中国科协通报并限期整改'],
    ['noFailedAcceptance', '承担同类或相关项目无验收未通过或未按期结项'],
    ['noAdministrativePenalty', '未受到有关管理部门行政处罚'],
  ];
  for (const [k, label] of decl)
    if (el[k] !== true) err(`eligibility.${k}`, 'eligibility.not_declared', `请确认声明：${label}（有此情形的单位不予受理）`);

  // 十、申报单位意见
  const en = data.endorsement ?? {};
  if (en.agreed !== true) err('endorsement.agreed', 'endorsement.required', '请确认申报单位同意申报');
  if (en.accurate !== true) err('endorsement.accurate', 'endorsement.required', '请确认申报书所填写内容准确');
  required('endorsement.signatory', en.signatory, '申报单位负责人姓名（签名人）');
  date('endorsement.date', en.date, '申报单位意见日期');

  out.push(...unprintableIssues(data));
  return out;
}

/**
 * Characters that can never be printed on the paper 申报书: control characters (but tab
 * and line breaks), the line/paragraph separators pasted from PDFs (U+2028, U+2029),
 * direction overrides (which also disguise text), private-use characters, the replacement
 * character U+FFFD (text that was already broken when pasted) and noncharacters.
 * Whether the bundled fonts have a glyph for every other character is checked by the
 * server at submission (src/server/documents/fonts.ts).
 */
export function isUnprintable(cp: number): boolean {
  return (
    (cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d) ||
    (cp >= 0x7f && cp <= 0x9f) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x200e ||
    cp === 0x200f ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069) ||
    cp === 0xfffd ||
    (cp >= 0xe000 && cp <= 0xf8ff) ||
    cp >= 0xf0000 ||
    (cp >= 0xfdd0 && cp <= 0xfdef) ||
    (cp & 0xfffe) === 0xfffe
  );
}

/** "U+2028" */
export function codePointLabel(cp: number): string {
  return 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
}

/**
 * Whether a character has no place in a one-line name (a registered name, a file name):
 * what {@link isUnprintable} finds, a line break or tab, or an invisible format character
 * (U+00AD, U+061C, U+200B…U+200F, U+FEFF…; Unicode category Cf), which would split a line
 * of an export or disguise the name (a direction mark reverses what follows: "exe.pdf").
 * The one definition for names typed, uploaded and downloaded.
 */
export function isNotForOneLineName(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  return isUnprintable(cp) || cp === 0x09 || cp === 0x0a || cp === 0x0d || /\p{Cf}/u.test(ch);
}

/**
 * What is wrong with a one-line name (an organisation's or a person's, as registered), or
 * null: no character {@link isNotForOneLineName} finds.
 */
export function nameTextProblem(text: string): string | null {
  let i = 0;
  for (const ch of text) {
    i++;
    const cp = ch.codePointAt(0)!;
    if (isNotForOneLineName(ch))
      return `第 ${i} 个字符 ${codePointLabel(cp)} 是换行、制表或不可见的控制字符，名称中不能使用，请删除`;
  }
  return null;
}

/** One error per text field that holds a character {@link isUnprintable} finds. */
export function unprintableIssues(value: unknown, path = ''): FormIssue[] {
  const out: FormIssue[] = [];
  const walk = (v: unknown, p: string) => {
    if (typeof v === 'string') {
      let i = 0;
      for (const ch of v) {
        i++;
        const cp = ch.codePointAt(0)!;
        if (isUnprintable(cp)) {
          out.push({
            path: p,
            level: 'error',
            code: 'text.unprintable',
            message: `第 ${i} 个字符 ${codePointLabel(cp)} 是不可打印的控制字符或特殊字符（常见于从 PDF 或网页粘贴），打印的申报书中无法显示，请删除`,
          });
          return;
        }
      }
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${p}[${i}]`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, p ? `${p}.${k}` : k);
  };
  walk(value, path);
  return out;
}

/**
 * Codes of the errors that say only that something required is still empty or unticked:
 * `required` (a required field, list or amount left blank), `eligibility.not_declared` and
 * `endorsement.required` (a declaration of 申报要求 3 or 十、申报单位意见 not yet ticked).
 * Every other error code means that what was entered breaks a rule.
 */
export const UNFILLED_CODES: ReadonlySet<string> = new Set(['required', 'eligibility.not_declared', 'endorsement.required']);

/**
 * True when the issue is an error only because a required value is still empty ("未填写"),
 * not because of anything the person entered. It blocks submission like any other error;
 * the editor may show it neutrally until the person has reached the field.
 */
export function isUnfilled(issue: FormIssue): boolean {
  return issue.level === 'error' && UNFILLED_CODES.has(issue.code);
}

/** True when no issue is an error (the application may be submitted). */
export function hasErrors(issues: FormIssue[]): boolean {
  return issues.some((i) => i.level === 'error');
}
