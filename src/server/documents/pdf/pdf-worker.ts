import { CALL_2023 } from '../../../domain/calls/call-2023';
import type { TJobMessage, TResultMessage } from './child-pool';
import { encodeError } from './render-errors';
import type { RenderPdfInput } from './render-pdf';
import { renderApplicationPdfSync } from './typeset-pdf';

/**
 * Entry of a PDF renderer child process (forked by render-pdf.ts through the tsx loader):
 * renders one job at a time and answers with the PDF or the error encoded for the trip
 * back, plus its RSS so the server can recycle it. Exits when the server closes the channel
 * or goes away.
 */

if (!process.send) throw new Error('pdf-worker.ts runs only as a forked child process');
const send = process.send.bind(process);

process.on('disconnect', () => process.exit(0));

// Warm up before the first job arrives: fonts, compiler and the template's first layout
// take most of a second, which the first request should not pay. Any call definition
// serves; the output is thrown away.
renderApplicationPdfSync({ data: {}, call: CALL_2023, number: null, status: 'draft', contentHash: '00000000', generatedAt: new Date(0) });

process.on('message', (msg: TJobMessage<RenderPdfInput>) => {
  let reply: TResultMessage<Uint8Array>;
  try {
    const value = renderApplicationPdfSync(msg.input);
    reply = { id: msg.id, ok: true, value, rss: process.memoryUsage.rss() };
  } catch (e) {
    reply = { id: msg.id, ok: false, error: encodeError(e), rss: process.memoryUsage.rss() };
  }
  send(reply);
});
