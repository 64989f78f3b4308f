import type { Actor, AppContext } from '../../http/context';
import { documentSource } from '../applications/applications.service';

/** A rendered document and the name to download it under. */
export interface RenderedDocument {
  bytes: Uint8Array;
  fileName: string;
  contentHash: string;
}

function fileName(number: string | null, projectName: string | undefined, ext: string): string {
  const base = `${number ?? '草稿'}-${(projectName ?? '申报书').slice(0, 40) || '申报书'}`;
  return `${base}.${ext}`;
}

/**
 * The 申报书 as PDF for an application the actor may read: from the submitted snapshot when
 * submitted (same content hash every time), else from the draft with a 草稿 watermark.
 */
export async function renderPdf(ctx: AppContext, actor: Actor, id: string): Promise<RenderedDocument> {
  const src = await documentSource(ctx, actor, id);
  // loaded on first use; its first render starts the renderer child processes (render-pdf.ts)
  const { renderApplicationPdf } = await import('../../documents/pdf/render-pdf');
  const bytes = await renderApplicationPdf({
    data: src.data,
    call: src.call,
    number: src.number,
    status: src.submitted ? src.status : 'draft',
    contentHash: src.contentHash,
    generatedAt: ctx.clock.now(),
  });
  return { bytes, fileName: fileName(src.number, src.data.projectName, 'pdf'), contentHash: src.contentHash };
}

/** The same document as .docx. */
export async function renderDocx(ctx: AppContext, actor: Actor, id: string): Promise<RenderedDocument> {
  const src = await documentSource(ctx, actor, id);
  const { renderApplicationDocx } = await import('../../documents/docx/render-docx');
  const bytes = await renderApplicationDocx({
    data: src.data,
    call: src.call,
    number: src.number,
    status: src.submitted ? src.status : 'draft',
    contentHash: src.contentHash,
    generatedAt: ctx.clock.now(),
  });
  return { bytes, fileName: fileName(src.number, src.data.projectName, 'docx'), contentHash: src.contentHash };
}
