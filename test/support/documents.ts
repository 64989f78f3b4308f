import { computeBudget, formatChineseDate, formatWan, STATUS_LABELS, type TApplicationData } from '../../src/domain';
import { formatChineseMonth, paragraphs } from '../../src/domain/documents/print-model';

/** Helpers shared by the document tests (the PDF, DOCX and export tests). */

/**
 * Text and size of each page, read with pdf.js (pdfjs-dist, legacy build for Node) so the
 * tests need nothing outside npm. Text items are joined in content-stream order, a line
 * break where pdf.js marks the end of a line: the same order as poppler's `pdftotext -raw`.
 * Sizes are in pt (the page's view box, rotation applied).
 */
export async function readPdf(pdf: Uint8Array): Promise<{ text: string; width: number; height: number }[]> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // pdf.js takes ownership of (detaches) the buffer it is given and refuses a Buffer: hand
  // it a plain copy.
  const doc = await getDocument({ data: new Uint8Array(pdf), verbosity: 0, isEvalSupported: false, useSystemFonts: false, disableFontFace: true }).promise;
  try {
    const pages: { text: string; width: number; height: number }[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const { width, height } = page.getViewport({ scale: 1 });
      const content = await page.getTextContent();
      const text = content.items.map((it) => ('str' in it ? it.str + (it.hasEOL ? '\n' : '') : '')).join('');
      pages.push({ text, width, height });
      page.cleanup();
    }
    return pages;
  } finally {
    await doc.destroy();
  }
}

/** Text of each page, in content-stream order (see {@link readPdf}). */
export async function pdfPages(pdf: Uint8Array): Promise<string[]> {
  return (await readPdf(pdf)).map((p) => p.text);
}

/** Page sizes in pt (see {@link readPdf}). */
export async function pdfPageSizes(pdf: Uint8Array): Promise<{ width: number; height: number }[]> {
  return (await readPdf(pdf)).map(({ width, height }) => ({ width, height }));
}

/**
 * Text for order checks: white space removed, and the page chrome (footer, watermark) and
 * the header rows that tables repeat on every page removed, so a paragraph that runs over a
 * page break reads as one string again. Applied alike to the extracted text and to the
 * expected values.
 */
export function normalise(text: string): string {
  let t = text.replace(/\s+/g, '');
  t = t
    .replace(/申报编号：(未提交|\d{4}-[A-Z]{2}-\d{4})/g, '')
    .replace(/第\d+页共\d+页/g, '')
    .replace(/内容校验码：[0-9a-f]{8}/g, '')
    .replace(new RegExp(`(${Object.values(STATUS_LABELS).join('|')})·生成于\\d{4}年\\d+月\\d+日\\d\\d:\\d\\d（北京时间）`, 'g'), '')
    .replace(/草稿/g, '');
  for (const h of REPEATED_HEADERS) t = t.split(h).join('');
  return t;
}

const REPEATED_HEADERS = [
  '四、立项依据及工作基础（项目的目的、意义；申报单位与拟申报项目相关的工作经验、成果、制度机制、工作团队等）',
  '五、项目主要内容和方案（主要工作内容、具体工作举措、进度计划等）',
  '六、项目预期成果和效益（项目完成后的预期创新点、经验模式和工作成果等）',
  '八、项目负责人及主要参加人员',
  '经费支出预算表单位：万元',
  '起止时间目标内容',
  '序号姓名年龄职务职称工作单位在本项目中承担的主要工作备注',
  '编号支出内容金额备注',
];

/**
 * Every field value of an application as the 申报书 prints it, in the template's order
 * (cover, 一 … 十), with its path. Written from the contract, independently of the model.
 */
export function expectedValues(d: TApplicationData): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const add = (path: string, v: unknown) => {
    const t = v === null || v === undefined ? '' : String(v).trim();
    if (t !== '') out.push({ path, text: t });
  };
  const addLong = (path: string, v: unknown) => paragraphs(v).forEach((p, i) => add(`${path}¶${i}`, p));
  add('projectName', d.projectName);
  const c = d.cover ?? {};
  add('cover.applicantUnit', c.applicantUnit);
  add('cover.contactName', c.contactName);
  add('cover.phone', c.phone);
  add('cover.mobile', c.mobile);
  add('cover.email', c.email);
  add('cover.address', c.address);
  add('cover.applicationDate', formatChineseDate(c.applicationDate ?? ''));
  add('projectName', d.projectName);
  const uh = d.contacts?.unitHead ?? {};
  const pl = d.contacts?.projectLead ?? {};
  add('contacts.unitHead.name', uh.name);
  add('contacts.unitHead.mobile', uh.mobile);
  add('contacts.unitHead.email', uh.email);
  add('contacts.unitHead.title', uh.title);
  add('contacts.projectLead.name', pl.name);
  add('contacts.projectLead.mobile', pl.mobile);
  add('contacts.projectLead.email', pl.email);
  add('contacts.projectLead.title', pl.title);
  add('contacts.projectLead.fax', pl.fax);
  add('contacts.projectLead.unitPhone', pl.unitPhone);
  (d.contacts?.partnerUnits ?? []).forEach((p, i) => {
    add(`contacts.partnerUnits[${i}].name`, p.name);
    add(`contacts.partnerUnits[${i}].head`, p.head);
    add(`contacts.partnerUnits[${i}].phone`, p.phone);
  });
  const ap = d.applicantProfile ?? {};
  add('applicantProfile.name', ap.name);
  add('applicantProfile.supervisor', ap.supervisor);
  add('applicantProfile.headName', ap.headName);
  add('applicantProfile.nature', ap.nature);
  addLong('applicantProfile.profile', ap.profile);
  addLong('basis', d.basis);
  addLong('plan', d.plan);
  addLong('outcomes', d.outcomes);
  add('schedule.start', formatChineseDate(d.schedule?.start ?? ''));
  add('schedule.end', formatChineseDate(d.schedule?.end ?? ''));
  (d.schedule?.phases ?? []).forEach((ph, i) => {
    add(`schedule.phases[${i}].from`, formatChineseMonth(ph.from));
    if (ph.to !== ph.from) add(`schedule.phases[${i}].to`, formatChineseMonth(ph.to));
    add(`schedule.phases[${i}].goal`, ph.goal);
  });
  (d.team ?? []).forEach((m, i) => {
    add(`team[${i}].name`, m.name);
    add(`team[${i}].age`, m.age);
    add(`team[${i}].title`, m.title);
    add(`team[${i}].unit`, m.unit);
    add(`team[${i}].role`, m.role);
    add(`team[${i}].note`, m.note);
  });
  const b = computeBudget(d.budget);
  add('budget.total', `经费总预算${formatWan(b.totalYuan!)}万元`);
  add('budget.castFunds', `申请中国科协经费${formatWan(b.castYuan!)}万元`);
  add('budget.other', `其他经费${formatWan(b.otherYuan!)}万元`);
  add('budget.otherNational', `国家其他拨款${formatWan(b.otherNationalYuan!)}万元`);
  add('budget.selfRaised', `单位自筹${formatWan(b.selfRaisedYuan!)}万元`);
  (d.budget?.items ?? []).forEach((it, i) => {
    add(`budget.items[${i}].content`, it.content);
    add(`budget.items[${i}].amount`, formatWan(b.itemYuan[i]!));
    add(`budget.items[${i}].note`, it.note);
  });
  add('budget.items.total', `合计${formatWan(b.itemsYuan!)}`);
  (d.budget?.items ?? []).forEach((it, i) => add(`budget.items[${i}].basis`, it.basis));
  add('endorsement.signatory', d.endorsement?.signatory);
  add('endorsement.date', formatChineseDate(d.endorsement?.date ?? ''));
  return out;
}

/**
 * The first value (with its path) that is missing from `text` or found only before the
 * previous one; null when all appear in order.
 */
export function firstOutOfOrder(text: string, values: { path: string; text: string }[]): string | null {
  const hay = normalise(text);
  let cursor = 0;
  for (const v of values) {
    const needle = normalise(v.text);
    if (needle === '') continue;
    const at = hay.indexOf(needle, cursor);
    if (at < 0) {
      const anywhere = hay.indexOf(needle);
      return `${v.path} ${JSON.stringify(v.text)} ${anywhere < 0 ? 'missing' : `found only before position ${cursor} (at ${anywhere})`}`;
    }
    cursor = at + needle.length;
  }
  return null;
}

/** word/document.xml of a .docx, with its text runs joined (tags removed). */
export async function docxText(docx: Uint8Array): Promise<{ xml: string; text: string }> {
  const { default: JSZip } = await import('jszip');
  const zip = await JSZip.loadAsync(docx);
  const xml = await zip.file('word/document.xml')!.async('string');
  const text = xml
    .replace(/<w:p[ >][\s\S]*?<\/w:p>/g, (p) => p.replace(/<[^>]+>/g, '') + '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
  return { xml, text };
}
