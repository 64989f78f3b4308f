import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TabStopType,
  TextRun,
  VerticalAlign,
  WidthType,
  type IRunOptions,
} from 'docx';
import { buildDocumentModel, type TCell, type TColumnWidth, type TDocumentInput, type TTable } from '../../../domain/documents/print-model';

/**
 * The 申报书 as .docx (Word), from the same {@link buildDocumentModel} model as the PDF, so
 * sections, rows and wording are the same and in the same order. Word does its own layout:
 * header rows are marked to repeat on every page, the footer carries 第 N 页 共 M 页
 * (Word fields), the 申报编号 and the content hash; a draft carries 草稿 in the page header.
 * Fonts are named (宋体 / 黑体, Times New Roman for Latin) and come from the reader's machine.
 */

const TWIPS_PER_CM = 567;
/** A4 width minus the margins below, in twips. */
const MARGIN = { top: 1418, bottom: 1474, left: 1531, right: 1417 };
const TEXT_WIDTH = 11906 - MARGIN.left - MARGIN.right;

const SONG = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '宋体' };
const HEI = { ascii: 'Arial', hAnsi: 'Arial', eastAsia: '黑体' };

type RunOpts = Omit<IRunOptions, 'text'>;
const run = (text: string, opts: RunOpts = {}) => new TextRun({ text, font: SONG, size: 21, ...opts });
const hei = (text: string, opts: RunOpts = {}) => run(text, { font: HEI, ...opts });

function columnWidths(cols: TColumnWidth[]): number[] {
  const fixed = cols.reduce((a, c) => a + ('cm' in c ? c.cm * TWIPS_PER_CM : 0), 0);
  const fr = cols.reduce((a, c) => a + ('fr' in c ? c.fr : 0), 0);
  const rest = Math.max(TEXT_WIDTH - fixed, 0);
  return cols.map((c) => Math.round('cm' in c ? c.cm * TWIPS_PER_CM : (rest * c.fr) / fr));
}

const alignOf = (c: TCell) =>
  c.align === 'center' ? AlignmentType.CENTER : c.align === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT;

function cellParagraphs(c: TCell): Paragraph[] {
  const align = alignOf(c);
  switch (c.kind) {
    case 'title':
      return [new Paragraph({ children: [hei(c.text ?? '', { size: 24 }), ...(c.hint ? [run(c.hint, { size: 20 })] : [])] })];
    case 'head':
      return [
        new Paragraph({
          alignment: AlignmentType.CENTER,
          tabStops: c.hint ? [{ type: TabStopType.RIGHT, position: TEXT_WIDTH - 200 }] : undefined,
          children: [hei(c.text ?? ''), ...(c.hint ? [run(`\t${c.hint}`)] : [])],
        }),
      ];
    case 'label':
      return [new Paragraph({ alignment: align, children: [run(c.text ?? '')] })];
    case 'value':
      if (c.paras) return c.paras.map((p) => new Paragraph({ alignment: align, children: [run(p)] }));
      return [new Paragraph({ alignment: align, children: [run(c.text ?? '')] })];
    case 'prose':
      return (c.paras ?? []).map(
        (p) =>
          new Paragraph({
            alignment: AlignmentType.JUSTIFIED,
            indent: { firstLine: 420 },
            spacing: { line: 360 },
            children: [run(p)],
          }),
      );
    case 'list':
      return [
        ...(c.lead ? [new Paragraph({ spacing: { line: 340 }, children: [run(c.lead)] })] : []),
        ...(c.paras ?? []).map((p) => new Paragraph({ indent: { left: 315, hanging: 315 }, spacing: { line: 340 }, children: [run(p)] })),
      ];
    case 'signature': {
      const sg = c.signature!;
      return [
        new Paragraph({ spacing: { before: 480 }, tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH - 600 }], children: [run(sg.signLabel), run(`\t${sg.sealLabel}`)] }),
        new Paragraph({ children: [run(sg.signatory ? `（${sg.signatory}）` : '', { size: 18 })] }),
        new Paragraph({ spacing: { before: 720, after: 240 }, alignment: AlignmentType.RIGHT, indent: { right: 680 }, children: [run(sg.date)] }),
      ];
    }
  }
}

function tableCell(c: TCell, widths: number[], col: number): TableCell {
  const span = c.colspan ?? 1;
  const width = widths.slice(col, col + span).reduce((a, b) => a + b, 0);
  const top = c.kind === 'prose' || c.kind === 'list' || c.kind === 'signature' || c.kind === 'title';
  return new TableCell({
    columnSpan: span > 1 ? span : undefined,
    rowSpan: c.rowspan && c.rowspan > 1 ? c.rowspan : undefined,
    width: { size: width, type: WidthType.DXA },
    verticalAlign: top ? VerticalAlign.TOP : VerticalAlign.CENTER,
    margins: { top: 80, bottom: 80, left: 100, right: 100 },
    children: cellParagraphs(c),
  });
}

function table(t: TTable): Table {
  const widths = columnWidths(t.columns);
  // Column positions of each row's cells, skipping the columns that a rowspan above covers.
  const covered = new Map<number, Set<number>>();
  const toRow = (cells: TCell[], r: number, header: boolean) => {
    let col = 0;
    const out: TableCell[] = [];
    for (const c of cells) {
      while (covered.get(r)?.has(col)) col++;
      out.push(tableCell(c, widths, col));
      for (let k = 1; k < (c.rowspan ?? 1); k++) {
        const set = covered.get(r + k) ?? new Set<number>();
        for (let j = 0; j < (c.colspan ?? 1); j++) set.add(col + j);
        covered.set(r + k, set);
      }
      col += c.colspan ?? 1;
    }
    const keep = header || cells.some((c) => c.keep);
    return new TableRow({ tableHeader: header || undefined, cantSplit: keep || undefined, children: out });
  };
  const rows = [...t.header.map((cells, i) => toRow(cells, i, true)), ...t.rows.map((cells, i) => toRow(cells, t.header.length + i, false))];
  const line = { style: BorderStyle.SINGLE, size: 6, color: '000000' };
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    borders: { top: line, bottom: line, left: line, right: line, insideHorizontal: line, insideVertical: line },
    rows,
  });
}

/**
 * Render the 申报书 of one application as a .docx file. Same input as the PDF renderer;
 * no glyph check (Word substitutes fonts on the reader's machine).
 */
export async function renderApplicationDocx(input: TDocumentInput): Promise<Uint8Array> {
  const m = buildDocumentModel(input);
  const spreadLabel = (l: string) => (l.length === 2 ? l.split('').join('　　') : l.length === 3 ? l.split('').join(' ') : l);

  const cover: Paragraph[] = [
    new Paragraph({ spacing: { before: 1800, after: 600 }, alignment: AlignmentType.CENTER, children: [hei(m.cover.title, { size: 48 })] }),
    new Paragraph({ spacing: { after: 1400 }, alignment: AlignmentType.CENTER, children: [hei(m.cover.subtitle.split('').join('  '), { size: 80, bold: true })] }),
    ...m.cover.fields.map(
      (f) =>
        new Paragraph({
          spacing: { after: 240 },
          indent: { left: 900 },
          tabStops: [{ type: TabStopType.LEFT, position: 1500 }],
          children: [hei(spreadLabel(f.label), { size: 28 }), run('\t', { size: 28 }), run(f.value, { size: 28, underline: {} })],
        }),
    ),
    new Paragraph({ spacing: { before: 2400 }, alignment: AlignmentType.CENTER, children: [hei(m.cover.issuer, { size: 32 })] }),
  ];

  const instructions: Paragraph[] = [
    new Paragraph({ pageBreakBefore: true, spacing: { before: 600, after: 480 }, alignment: AlignmentType.CENTER, children: [hei(m.instructions.title.split('').join('  '), { size: 36 })] }),
    ...m.instructions.items.map((t) => new Paragraph({ indent: { firstLine: 480 }, spacing: { line: 440 }, alignment: AlignmentType.JUSTIFIED, children: [run(t, { size: 24 })] })),
  ];

  const body: (Paragraph | Table)[] = [new Paragraph({ pageBreakBefore: true, children: [] })];
  for (const s of m.sections) for (const t of s.tables) body.push(table(t));

  const footer = new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [
          run(`申报编号：${m.meta.number}    第 `, { size: 17 }),
          new TextRun({ children: [PageNumber.CURRENT], size: 17, font: SONG }),
          run(' 页 共 ', { size: 17 }),
          new TextRun({ children: [PageNumber.TOTAL_PAGES], size: 17, font: SONG }),
          run(` 页    内容校验码：${m.meta.contentHash}`, { size: 17 }),
        ],
      }),
      new Paragraph({ alignment: AlignmentType.CENTER, children: [run(`${m.meta.statusLabel} · 生成于 ${m.meta.generatedAt}`, { size: 14, color: '5A5A5A' })] }),
    ],
  });
  const header = m.meta.draft
    ? new Header({ children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: [hei('草稿（未提交，不作为正式申报材料）', { size: 20, color: 'A0A0A0' })] })] })
    : undefined;

  const doc = new Document({
    title: m.meta.title,
    creator: 'Shenbao',
    styles: { default: { document: { run: { font: SONG, size: 21 } } } },
    sections: [
      {
        properties: { page: { size: { width: 11906, height: 16838 }, margin: MARGIN } },
        headers: header ? { default: header } : undefined,
        footers: { default: footer },
        children: [...cover, ...instructions, ...body],
      },
    ],
  });
  const buf = await Packer.toBuffer(doc);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
