import { PassThrough } from 'node:stream';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { ZipFile } from 'yazl';
import { ZipEntryCounter } from './zip-progress';

async function yazlZip(files: Buffer[]): Promise<Buffer> {
  const zip = new ZipFile();
  const chunks: Buffer[] = [];
  const out = zip.outputStream as PassThrough;
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((r) => out.on('end', r));
  files.forEach((f, i) => zip.addBuffer(f, `${i}-申报书.pdf`, { compress: false }));
  zip.addBuffer(Buffer.from('说明'), '未能生成的申报书.txt');
  zip.end();
  await done;
  return Buffer.concat(chunks);
}

describe('ZipEntryCounter', () => {
  it('counts each entry when its last byte arrives, whatever the chunking, even with signatures inside the data', async () => {
    const sig = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
    const files = [Buffer.concat([sig, Buffer.alloc(5000, 7), sig]), Buffer.alloc(1), Buffer.alloc(70_000, 1)];
    const raw = await yazlZip(files);
    for (const size of [1, 7, 29, 30, 31, 4096, raw.length]) {
      const c = new ZipEntryCounter();
      const seen: number[] = [];
      for (let i = 0; i < raw.length; i += size) {
        c.push(raw.subarray(i, i + size));
        seen.push(c.entries);
      }
      expect(c.lost, `chunks of ${size}`).toBe(false);
      expect(c.finished).toBe(true);
      expect(c.entries).toBe(4);
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
    }
    // the first entry is not counted before all of its bytes are there
    const c = new ZipEntryCounter();
    c.push(raw.subarray(0, 30 + Buffer.byteLength('0-申报书.pdf') + 5000));
    expect(c.entries).toBe(0);
    c.push(raw.subarray(30 + Buffer.byteLength('0-申报书.pdf') + 5000, 30 + Buffer.byteLength('0-申报书.pdf') + 5008));
    expect(c.entries).toBe(1);
  });

  it('gives up, without guessing, on headers that do not carry the sizes', async () => {
    const z = new JSZip();
    z.file('a.txt', 'x'.repeat(100));
    const raw = await z.generateAsync({ type: 'nodebuffer', streamFiles: true });
    const c = new ZipEntryCounter();
    c.push(raw);
    expect(c.lost).toBe(true);
    expect(c.entries).toBe(0);
    const junk = new ZipEntryCounter();
    junk.push(new TextEncoder().encode('<html>'));
    expect(junk.lost).toBe(true);
  });
});
