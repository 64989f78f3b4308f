import { readFileSync } from 'node:fs';
import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';
import { buildDocumentModel, modelStrings, type TDocumentInput } from '../../../domain/documents/print-model';
import { assertPrintable, codePointText, findMissingGlyphs, loadFonts } from '../fonts';
import { PdfRenderError } from './render-errors';
import type { RenderPdfInput } from './render-pdf';

/**
 * In-process typesetting of the printed 申报书 as PDF, by Typst (through
 * @myriaddreamin/typst-ts-node-compiler) from the fixed template `shenbao.typ` and the {@link buildDocumentModel} model. The
 * application's texts reach Typst only as JSON (a virtual file read by json()), never as markup.
 *
 * This module loads the native compiler, whose memory grows with every compile; the server
 * does not import it but renders in recycled child processes (render-pdf.ts, pdf-worker.ts).
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

/**
 * Render the 申报书 of one application as an A4 PDF, in this process and synchronously
 * (tens to hundreds of ms warm; the first call also loads fonts and compiler). See
 * {@link renderApplicationPdf} for the document and the errors; this is its implementation,
 * run inside the renderer child process and by benchmarks.
 */
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
    // a minimal document too): hence the recycled child processes of render-pdf.ts.
    c.evictCache(3);
  }
}
