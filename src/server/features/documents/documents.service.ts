import { isNotForOneLineName } from '../../../domain/form/rules';
import type { Actor, AppContext } from '../../http/context';
import { documentSource, loadReadableApplication } from '../applications/applications.service';

/** A rendered document and the name to download it under. */
export interface RenderedDocument {
  bytes: Uint8Array;
  fileName: string;
  contentHash: string;
}

/**
 * A text made safe as part of a download or archive entry name: no character that a file
 * system or Content-Disposition would take as a folder or cut at (\ / : * ? " < > |) and
 * none that has no place in a one-line name (control, invisible and direction characters:
 * domain isNotForOneLineName); each becomes "_". Trimmed, at most `max` characters (code
 * points). May return "".
 */
export function safeFileNamePart(text: string | null | undefined, max = 40): string {
  const safe = Array.from(text ?? '', (ch) => (/[\\/:*?"<>|]/.test(ch) || isNotForOneLineName(ch) ? '_' : ch)).join('');
  return Array.from(safe.trim()).slice(0, max).join('');
}

function fileName(number: string | null, projectName: string | undefined, ext: string): string {
  const base = `${number ?? '草稿'}-${safeFileNamePart(projectName) || '申报书'}`;
  return `${base}.${ext}`;
}

type Renderer = (input: Parameters<typeof import('../../documents/pdf/render-pdf')['renderApplicationPdf']>[0]) => Promise<Uint8Array>;

async function render(ctx: AppContext, actor: Actor, id: string, ext: 'pdf' | 'docx', renderer: () => Promise<Renderer>): Promise<RenderedDocument> {
  const src = await documentSource(ctx, actor, id);
  const bytes = await (await renderer())({
    data: src.data,
    call: src.call,
    number: src.number,
    status: src.submitted ? src.status : 'draft',
    contentHash: src.contentHash,
    generatedAt: ctx.clock.now(),
  });
  return { bytes, fileName: fileName(src.number, src.data.projectName, ext), contentHash: src.contentHash };
}

/**
 * The 申报书 as PDF for an application the actor may read: from the submitted snapshot when
 * submitted (same content hash every time), else from the draft with a 草稿 watermark.
 * The renderers are loaded on first use: most requests never need them.
 */
export function renderPdf(ctx: AppContext, actor: Actor, id: string): Promise<RenderedDocument> {
  return render(ctx, actor, id, 'pdf', async () => (await import('../../documents/pdf/render-pdf')).renderApplicationPdf);
}

/** The same document as .docx. */
export function renderDocx(ctx: AppContext, actor: Actor, id: string): Promise<RenderedDocument> {
  return render(ctx, actor, id, 'docx', async () => (await import('../../documents/docx/render-docx')).renderApplicationDocx);
}

/**
 * Whether the actor may download the printed 申报书 of application `id`, checked exactly as
 * {@link renderPdf} and {@link renderDocx} check it, without producing the document (for HEAD).
 * Errors: NotFound (no such application, or one the actor may not read).
 */
export async function authoriseDocument(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  await loadReadableApplication(ctx.db, ctx, actor, id);
}
