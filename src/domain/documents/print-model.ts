import { findSubProgramme, type TCallDefinition } from '../calls/call';
import { formatBeijing, formatChineseDate, isIsoMonth } from '../deadline';
import type { TApplicationData } from '../form/application';
import { computeBudget } from '../form/budget';
import { SECTIONS } from '../form/sections';
import { STATUS_LABELS, type TApplicationStatus } from '../lifecycle';
import { formatWan } from '../money';

/**
 * The printed 申报书 as an ordered, renderer-neutral model: the template of
 * `shared/seed/notice-2023.txt` (附件) filled with one application's data. The PDF
 * (Typst) and DOCX renderers walk this model in order and add nothing of their own but
 * page chrome, so both print the same sections, rows and wording. All texts are plain
 * strings (never markup); `path` names the application-data field a cell shows.
 */

/** A column width: fixed in centimetres, or a share of the remaining width. */
export type TColumnWidth = { cm: number } | { fr: number };

/**
 * How a cell is typeset: `title` a section title row (黑体), `head` a column header,
 * `label` a field label, `value` a field value, `prose` paragraphs with a first-line
 * indent of 2 字 (justified), `list` numbered lines without indent, `signature` the
 * signature and seal block of 十.
 */
export type TCellKind = 'title' | 'head' | 'label' | 'value' | 'prose' | 'list' | 'signature';

export interface TCell {
  kind: TCellKind;
  /** One line of text (title, head, label, value). */
  text?: string;
  /** Smaller hint after a title, as in the template: "（项目的目的、意义；…）". */
  hint?: string;
  /** Paragraphs of a `prose` or `list` cell, or lines of a multi-line value. */
  paras?: string[];
  /** A heading line above `paras` in a `list` cell ("测算依据："). */
  lead?: string;
  colspan?: number;
  rowspan?: number;
  align?: 'left' | 'center' | 'right';
  /** The application-data path shown, when the cell shows one field. */
  path?: string;
  /** Keep the cell's row on one page (short blocks that read badly when split). */
  keep?: boolean;
  /** For `signature`: the parts of the block. */
  signature?: { signLabel: string; signatory: string; sealLabel: string; date: string };
}

/** A bordered table. `header` rows repeat at the top of every page the table spans. */
export interface TTable {
  columns: TColumnWidth[];
  header: TCell[][];
  rows: TCell[][];
}

/** One of 一 … 十: one or more tables that print flush one below the other. */
export interface TSection {
  key: string;
  title: string;
  tables: TTable[];
}

export interface TCoverField {
  /** Label without padding spaces ("联系人"); renderers spread it over the label width. */
  label: string;
  value: string;
  path: string;
}

export interface TDocumentModel {
  meta: {
    /** 申报编号, or "未提交". */
    number: string;
    contentHash: string;
    status: string;
    statusLabel: string;
    /** True when the copy is not a submitted one: renderers print a 草稿 watermark. */
    draft: boolean;
    /** "2023年5月12日 10:32（北京时间）" */
    generatedAt: string;
    title: string;
  };
  cover: { title: string; subtitle: string; fields: TCoverField[]; issuer: string };
  instructions: { title: string; items: string[] };
  sections: TSection[];
}

export interface TDocumentInput {
  data: TApplicationData;
  call: TCallDefinition;
  /** 申报编号, null before the first submission. */
  number: string | null;
  /** Application status (lifecycle.ts). */
  status: string;
  /** Short content hash ({@link ./content-hash}). */
  contentHash: string;
  /** The instant the copy is generated (from the injected clock). */
  generatedAt: Date;
}

/**
 * Statuses whose printed copy is a draft. `returned` is being revised, so its print is a
 * draft too until it is submitted again; unknown statuses are treated as drafts.
 */
const DRAFT_STATUSES = new Set(['draft', 'returned']);

/** True when a copy in `status` carries the 草稿 watermark. */
export function isDraftStatus(status: string): boolean {
  return DRAFT_STATUSES.has(status) || !(status in STATUS_LABELS);
}

const s = (v: unknown): string => (v === null || v === undefined ? '' : String(v)).trim();

/** "2023-06" → "2023年6月"; other text unchanged. */
export function formatChineseMonth(month: string | undefined): string {
  const m = s(month);
  if (!isIsoMonth(m)) return m;
  return `${Number(m.slice(0, 4))}年${Number(m.slice(5, 7))}月`;
}

/** 万元 text of integer 元, or the typed text when it does not parse (a draft). */
/**
 * What a total prints when it cannot be added up (a draft with an amount missing or not a
 * number; submit refuses such an application): never an empty cell that reads as zero.
 */
export const NO_TOTAL = '（无法合计）';

function wan(yuan: number | null, raw: unknown): string {
  return yuan !== null ? formatWan(yuan) : s(raw);
}

/** Split a long text into its paragraphs (one per line; blank lines dropped). */
export function paragraphs(text: unknown): string[] {
  return s(text)
    .split(/\r\n|\r|\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

const title = (text: string, colspan: number, hint?: string): TCell => ({ kind: 'title', text, hint, colspan });
const label = (text: string, extra: Partial<TCell> = {}): TCell => ({ kind: 'label', text, align: 'center', ...extra });
const value = (text: unknown, path: string, extra: Partial<TCell> = {}): TCell => ({ kind: 'value', text: s(text), path, ...extra });
const head = (text: string, extra: Partial<TCell> = {}): TCell => ({ kind: 'head', text, align: 'center', ...extra });

function sectionTitle(key: string): string {
  const def = SECTIONS.find((d) => d.key === key);
  if (!def) throw new Error(`unknown section ${key}`);
  return def.title;
}

/** 申报专项 as printed: "（一）高质量…专项；（四）科技公共服务跟踪与服务专项（跟踪：团体标准）". */
export function programmeText(data: TApplicationData, call: TCallDefinition): string {
  return (data.subProgrammes ?? [])
    .map((code) => {
      const sp = findSubProgramme(call, code);
      if (!sp) return code;
      let t = sp.ordinal + sp.name;
      if (sp.tracks.length > 0 && data.trackingTrack) {
        const tr = findSubProgramme(call, data.trackingTrack);
        t += `（跟踪：${tr ? tr.ordinal + tr.name : data.trackingTrack}）`;
      }
      return t;
    })
    .join('；');
}

const ELIGIBILITY: { key: keyof NonNullable<TApplicationData['eligibility']>; text: string }[] = [
  { key: 'annualInspectionOk', text: '近三年年检合格，无连续两年基本合格' },
  { key: 'notUnderRectification', text: '未被中国科协通报并限期整改' },
  { key: 'noFailedAcceptance', text: '承担的同类或相关项目无验收未通过或未按期结项' },
  { key: 'noAdministrativePenalty', text: '未受到有关管理部门的行政处罚' },
];

/** The endorsement paragraphs of 十, from `endorsement` and `eligibility`. */
export function endorsementParagraphs(data: TApplicationData): string[] {
  const e = data.endorsement ?? {};
  const out: string[] = [];
  out.push(e.agreed ? '同意申报。' : '（尚未确认同意申报。）');
  out.push(e.accurate ? '经审核，本申报书所填写内容真实、准确。' : '（尚未确认申报书所填写内容准确。）');
  const made = ELIGIBILITY.filter((x) => data.eligibility?.[x.key] === true).map((x) => x.text);
  const missing = ELIGIBILITY.filter((x) => data.eligibility?.[x.key] !== true).map((x) => x.text);
  if (made.length > 0) out.push(`本单位声明：${made.join('；')}。`);
  if (missing.length > 0) out.push(`（尚未声明：${missing.join('；')}。）`);
  return out;
}

/**
 * Build the printed 申报书 of one application. Money comes from {@link computeBudget}
 * (integer 元) and prints with {@link formatWan} (万元); dates print as "2023年5月12日".
 */
export function buildDocumentModel(input: TDocumentInput): TDocumentModel {
  const { data, call } = input;
  const cover = data.cover ?? {};
  const contacts = data.contacts ?? {};
  const uh = contacts.unitHead ?? {};
  const pl = contacts.projectLead ?? {};
  const profile = data.applicantProfile ?? {};
  const schedule = data.schedule ?? {};
  const budget = data.budget ?? {};
  const totals = computeBudget(data.budget);
  const draft = isDraftStatus(input.status);

  const sections: TSection[] = [];

  // 一、项目名称 (and 申报专项, which the template leaves to the call)
  sections.push({
    key: 's1',
    title: sectionTitle('s1'),
    tables: [
      {
        columns: [{ cm: 2.6 }, { fr: 1 }],
        header: [[title(sectionTitle('s1'), 2)]],
        rows: [
          [value(data.projectName, 'projectName', { colspan: 2 })],
          [label('申报专项'), value(programmeText(data, call), 'subProgrammes')],
        ],
      },
    ],
  });

  // 二、项目联系人: label | sub-label | value | sub-label | value
  const partners = contacts.partnerUnits ?? [];
  const s2rows: TCell[][] = [
    [label('单位负责人', { rowspan: 3 }), label('姓名'), value(uh.name, 'contacts.unitHead.name'), label('手机'), value(uh.mobile, 'contacts.unitHead.mobile')],
    [label('电子邮箱'), value(uh.email, 'contacts.unitHead.email', { colspan: 3 })],
    [label('职务/职称'), value(uh.title, 'contacts.unitHead.title', { colspan: 3 })],
    [label('项目负责人', { rowspan: 4 }), label('姓名'), value(pl.name, 'contacts.projectLead.name'), label('手机'), value(pl.mobile, 'contacts.projectLead.mobile')],
    [label('电子邮箱'), value(pl.email, 'contacts.projectLead.email', { colspan: 3 })],
    [label('职务/职称'), value(pl.title, 'contacts.projectLead.title', { colspan: 3 })],
    [label('传真'), value(pl.fax, 'contacts.projectLead.fax'), label('单位电话'), value(pl.unitPhone, 'contacts.projectLead.unitPhone')],
  ];
  if (partners.length === 0) {
    s2rows.push(
      [label('参与单位', { rowspan: 2 }), label('名称'), value('无', 'contacts.partnerUnits', { colspan: 3 })],
      [label('单位负责人'), value('', 'contacts.partnerUnits'), label('联系电话'), value('', 'contacts.partnerUnits')],
    );
  }
  partners.forEach((p, i) => {
    const base = `contacts.partnerUnits[${i}]`;
    s2rows.push(
      [label(partners.length > 1 ? `参与单位${i + 1}` : '参与单位', { rowspan: 2 }), label('名称'), value(p.name, `${base}.name`, { colspan: 3 })],
      [label('单位负责人'), value(p.head, `${base}.head`), label('联系电话'), value(p.phone, `${base}.phone`)],
    );
  });
  sections.push({
    key: 's2',
    title: sectionTitle('s2'),
    tables: [
      {
        columns: [{ cm: 2.6 }, { cm: 2.4 }, { fr: 1 }, { cm: 2.2 }, { fr: 1 }],
        header: [[title(sectionTitle('s2'), 5)]],
        rows: s2rows,
      },
    ],
  });

  // 三、申报单位情况
  sections.push({
    key: 's3',
    title: sectionTitle('s3'),
    tables: [
      {
        columns: [{ cm: 2.6 }, { fr: 1 }, { cm: 2.4 }, { fr: 1 }],
        header: [[title(sectionTitle('s3'), 4)]],
        rows: [
          [label('单位名称'), value(profile.name, 'applicantProfile.name', { colspan: 3 })],
          [label('上级主管单位'), value(profile.supervisor, 'applicantProfile.supervisor', { colspan: 3 })],
          [label('负责人姓名'), value(profile.headName, 'applicantProfile.headName'), label('单位性质'), value(profile.nature, 'applicantProfile.nature')],
          [label('单位简介'), { kind: 'prose', paras: paragraphs(profile.profile), colspan: 3, path: 'applicantProfile.profile' }],
        ],
      },
    ],
  });

  // 四、五、六: long texts
  const longText = (key: string, hint: string, path: 'basis' | 'plan' | 'outcomes') =>
    sections.push({
      key,
      title: sectionTitle(key),
      tables: [
        {
          columns: [{ fr: 1 }],
          header: [[title(sectionTitle(key), 1, hint)]],
          rows: [[{ kind: 'prose', paras: paragraphs(data[path]), path }]],
        },
      ],
    });
  longText('s4', '（项目的目的、意义；申报单位与拟申报项目相关的工作经验、成果、制度机制、工作团队等）', 'basis');
  longText('s5', '（主要工作内容、具体工作举措、进度计划等）', 'plan');
  longText('s6', '（项目完成后的预期创新点、经验模式和工作成果等）', 'outcomes');

  // 七、项目实施进度计划
  const phases = schedule.phases ?? [];
  const start = formatChineseDate(s(schedule.start));
  const end = formatChineseDate(s(schedule.end));
  sections.push({
    key: 's7',
    title: sectionTitle('s7'),
    tables: [
      {
        columns: [{ fr: 1 }],
        header: [[title(sectionTitle('s7'), 1)]],
        rows: [[value(`项目起止时间：${start || '    年  月  日'}起至${end || '    年  月  日'}止`, 'schedule')]],
      },
      {
        columns: [{ cm: 3.6 }, { fr: 1 }],
        header: [[head('起止时间'), head('目标内容')]],
        rows: phases.map((ph, i) => {
          const from = formatChineseMonth(ph.from);
          const to = formatChineseMonth(ph.to);
          const lines = from === to ? [from] : [from, '至', to];
          return [
            { kind: 'value', paras: lines, align: 'center', path: `schedule.phases[${i}]` } satisfies TCell,
            value(ph.goal, `schedule.phases[${i}].goal`),
          ];
        }),
      },
    ],
  });

  // 八、项目负责人及主要参加人员
  sections.push({
    key: 's8',
    title: sectionTitle('s8'),
    tables: [
      {
        columns: [{ cm: 1.1 }, { cm: 1.7 }, { cm: 1.1 }, { cm: 2.6 }, { fr: 1 }, { fr: 1.35 }, { cm: 2 }],
        header: [
          [title(sectionTitle('s8'), 7)],
          [head('序号'), head('姓名'), head('年龄'), head('职务职称'), head('工作单位'), head('在本项目中承担的主要工作'), head('备注')],
        ],
        rows: (data.team ?? []).map((m, i) => {
          const p = `team[${i}]`;
          return [
            value(String(i + 1), p, { align: 'center' }),
            value(m.name, `${p}.name`, { align: 'center' }),
            value(m.age, `${p}.age`, { align: 'center' }),
            value(m.title, `${p}.title`),
            value(m.unit, `${p}.unit`),
            value(m.role, `${p}.role`),
            value(m.note, `${p}.note`),
          ];
        }),
      },
    ],
  });

  // 九、项目经费预算
  const items = budget.items ?? [];
  sections.push({
    key: 's9',
    title: sectionTitle('s9'),
    tables: [
      {
        columns: [{ fr: 1 }],
        header: [[title(sectionTitle('s9'), 1)]],
        rows: [
          [
            {
              kind: 'list',
              path: 'budget',
              keep: true,
              lead: `经费总预算 ${wan(totals.totalYuan, NO_TOTAL)} 万元，其中：`,
              paras: [
                `1．申请中国科协经费 ${wan(totals.castYuan, budget.castFunds)} 万元`,
                `2．其他经费 ${wan(totals.otherYuan, NO_TOTAL)} 万元`,
                `包括：国家其他拨款 ${wan(totals.otherNationalYuan, budget.otherNational)} 万元`,
                `　　　单位自筹 ${wan(totals.selfRaisedYuan, budget.selfRaised)} 万元`,
              ],
            },
          ],
        ],
      },
      {
        columns: [{ cm: 1.4 }, { fr: 1 }, { cm: 2.4 }, { fr: 1.3 }],
        header: [
          [{ kind: 'head', text: '经费支出预算表', hint: '单位：万元', colspan: 4 }],
          [head('编号'), head('支出内容'), head('金额'), head('备注')],
        ],
        rows: [
          ...items.map((it, i) => {
            const p = `budget.items[${i}]`;
            return [
              value(String(i + 1), p, { align: 'center' }),
              value(it.content, `${p}.content`),
              value(wan(totals.itemYuan[i] ?? null, it.amount), `${p}.amount`, { align: 'right' }),
              value(it.note, `${p}.note`),
            ];
          }),
          [label('合计'), value('', 'budget.items'), value(wan(totals.itemsYuan, NO_TOTAL), 'budget.items', { align: 'right' }), value('', 'budget.items')],
        ],
      },
      {
        columns: [{ fr: 1 }],
        header: [],
        rows: [
          [
            {
              kind: 'list',
              path: 'budget.items',
              lead: '测算依据：',
              paras: items.map((it, i) => `${i + 1}．${s(it.content)}${s(it.content) ? '：' : ''}${s(it.basis)}`),
            },
          ],
        ],
      },
    ],
  });

  // 十、申报单位意见
  const e = data.endorsement ?? {};
  sections.push({
    key: 's10',
    title: sectionTitle('s10'),
    tables: [
      {
        columns: [{ fr: 1 }],
        header: [[title(sectionTitle('s10'), 1, '（是否同意申报，申报所填写内容是否准确）')]],
        rows: [
          [{ kind: 'prose', paras: endorsementParagraphs(data), path: 'endorsement' }],
          [
            {
              kind: 'signature',
              path: 'endorsement',
              keep: true,
              signature: {
                signLabel: '申报单位负责人（签名）：',
                signatory: s(e.signatory),
                sealLabel: '单位公章',
                date: s(e.date) ? formatChineseDate(s(e.date)) : '年   月   日',
              },
            },
          ],
        ],
      },
    ],
  });

  return {
    meta: {
      number: input.number ?? '未提交',
      contentHash: input.contentHash,
      status: input.status,
      statusLabel: STATUS_LABELS[input.status as TApplicationStatus] ?? input.status,
      draft,
      generatedAt: formatBeijing(input.generatedAt, { seconds: false }),
      title: `${s(data.projectName) || '申报书'}（申报书）`,
    },
    cover: {
      title: '学会公共服务能力提升项目',
      subtitle: '申报书',
      fields: [
        { label: '项目名称', value: s(data.projectName), path: 'projectName' },
        { label: '申报单位', value: s(cover.applicantUnit), path: 'cover.applicantUnit' },
        { label: '联系人', value: s(cover.contactName), path: 'cover.contactName' },
        { label: '联系电话', value: s(cover.phone), path: 'cover.phone' },
        { label: '手机', value: s(cover.mobile), path: 'cover.mobile' },
        { label: '电子信箱', value: s(cover.email), path: 'cover.email' },
        { label: '通讯地址', value: s(cover.address), path: 'cover.address' },
        { label: '申请日期', value: formatChineseDate(s(cover.applicationDate)), path: 'cover.applicationDate' },
      ],
      issuer: `${call.issuer}制`,
    },
    instructions: {
      title: '填报说明',
      items: [
        `1．本申报书是申报${call.year}年学会公共服务能力提升项目的依据，填写内容须实事求是，表述应明确、严谨。`,
        '2．申报书应为A4开本，相应栏目请填写完整，格式不符的申报材料不予受理。',
        '3．项目名称应确切反映项目内容和范围。',
        '4．各栏目如填写内容较多，可另加附页。',
        '5．项目申报书填好后，须由申报单位负责人签字并加盖单位公章及骑缝章，按照申报通知要求报送。',
      ],
    },
    sections,
  };
}

/** Every string of the model with where it comes from (for the glyph check). */
export function* modelStrings(model: TDocumentModel): Generator<{ path: string; text: string }> {
  function* walk(v: unknown, path: string): Generator<{ path: string; text: string }> {
    if (typeof v === 'string') yield { path, text: v };
    else if (Array.isArray(v)) for (let i = 0; i < v.length; i++) yield* walk(v[i], `${path}[${i}]`);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) yield* walk(x, path ? `${path}.${k}` : k);
  }
  yield* walk(model, 'document');
}
