import { readFileSync } from 'node:fs';
import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';
import type { TApplicationData, TCallDefinition } from '../../../domain';
import { buildDocumentModel, modelStrings, type TDocumentInput } from '../document-model';
import { assertPrintable, codePointText, findMissingGlyphs, loadFonts } from '../fonts';

export { contentHash } from '../content-hash';

/**
 * The printed 申报书 as PDF, typeset by Typst (through @myriaddreamin/typst-ts-node-compiler)
 * from the fixed template `shenbao.typ` and the {@link buildDocumentModel} model. The
 * application's texts reach Typst only as JSON in `sys.inputs`, never as markup.
 */

const TEMPLATE = readFileSync(new URL('./shenbao.typ', import.meta.url), 'utf8');

let compiler: NodeCompiler | undefined;

const MAIN_PATH = '/shenbao/main.typ';
const MODEL_PATH = '/shenbao/model.json';

function getCompiler(): NodeCompiler {
  if (!compiler) {
    compiler = NodeCompiler.create({ workspace: '/shenbao', fontArgs: [{ fontBlobs: loadFonts().blobs }] });
    compiler.mapShadow(MAIN_PATH, Buffer.from(TEMPLATE, 'utf8'));
  }
  return compiler;
}

/** Typst failed on a model it should accept: a bug in the template, not in the data. */
export class PdfRenderError extends Error {
  constructor(readonly diagnostics: unknown[]) {
    super(`申报书 PDF 生成失败：${diagnostics.map((d) => JSON.stringify(d)).join('; ')}`);
    this.name = 'PdfRenderError';
  }
}

export interface RenderPdfInput {
  data: TApplicationData;
  call: TCallDefinition;
  /** 申报编号, or null before the first submission (prints 未提交). */
  number: string | null;
  /** Application status; draft-like statuses print a 草稿 watermark. */
  status: string;
  /** {@link contentHash} of `data`, printed on every page. */
  contentHash: string;
  /** When the copy is made (injected clock); printed in 北京时间. */
  generatedAt: Date;
}

/**
 * Render the 申报书 of one application as an A4 PDF: cover, 填报说明, 一 … 十, and on
 * every page 第 N 页 共 M 页, the 申报编号 (or 未提交) and the content hash.
 *
 * Throws `Invalid` (code `missing_glyph`, problems naming each field path and code point)
 * when the data holds a character that no bundled font has, instead of printing an empty
 * box. Synchronous work (about 10–100 ms); the Promise is for callers that may later move
 * it to a worker.
 */
export async function renderApplicationPdf(input: RenderPdfInput): Promise<Uint8Array> {
  return renderApplicationPdfSync(input);
}

/** {@link renderApplicationPdf}, synchronously. */
export function renderApplicationPdfSync(input: RenderPdfInput): Uint8Array {
  const fonts = loadFonts();
  assertPrintable(input.data, fonts);
  const model = buildDocumentModel(input satisfies TDocumentInput);
  // The model adds the template's own wording and the call's names; check those too so a
  // bad call definition fails as loudly as bad data.
  for (const { path, text } of modelStrings(model)) {
    const missing = findMissingGlyphs(text, fonts);
    if (missing.length > 0) throw new Error(`申报书模板文字无法打印：${path} 含 ${codePointText(missing[0].codePoint)}`);
  }
  const c = getCompiler();
  // The model goes in as a virtual JSON file read by json(): a fixed main file and fixed
  // inputs keep Typst's world the same between renders (new sys.inputs or a new main
  // text every time made the native memory grow with every render).
  c.mapShadow(MODEL_PATH, Buffer.from(JSON.stringify(model), 'utf8'));
  const result = c.compile({ mainFilePath: MAIN_PATH });
  try {
    const doc = result.result;
    if (!doc || result.hasError()) {
      const err = result.takeError();
      throw new PdfRenderError(err ? c.fetchDiagnostics(err) : ['unknown error']);
    }
    const pdf = c.pdf(doc, { creationTimestamp: Math.floor(input.generatedAt.getTime() / 1000) });
    return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  } finally {
    // Typst memoises layouts in a global cache; without eviction it grows with every
    // distinct document a long-running server prints. Evicting after every render with a
    // short age kept RSS lowest in bench/pdf.bench.ts. Known issue: typst-ts-node-compiler
    // 0.7.0 still grows native memory by about 1–2 MB per compile of new content (seen with
    // a minimal document too), so a long-running server should render in a recycled child
    // process.
    c.evictCache(3);
  }
}
