/**
 * Counts the files of a .zip as its bytes arrive, by walking its local file headers
 * (APPNOTE.TXT 4.3.7): signature, then at offset 18 the compressed size, at 26 and 28 the
 * lengths of the name and extra field, then the data. This works for archives whose local
 * headers carry the sizes (the server's exports: yazl writes them for every entry); at a
 * header without sizes (general purpose bit 3) or anything unexpected it stops counting and
 * says so (`lost`), and the caller falls back to showing bytes. Never scans the data for
 * signatures, so a PDF's bytes cannot be mistaken for an entry.
 */
export class ZipEntryCounter {
  /** Entries received whole. */
  entries = 0;
  /** The central directory has begun: every entry is in. */
  finished = false;
  /** The layout was not understood; {@link entries} stops where it was. */
  lost = false;
  private header = new Uint8Array(30);
  private headerFill = 0;
  /** Bytes of the current entry (name, extra, data) still to skip. */
  private skip = 0;

  /** Feed the next chunk of the archive. */
  push(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length && !this.finished && !this.lost) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - i);
        this.skip -= n;
        i += n;
        if (this.skip === 0) this.entries++;
        continue;
      }
      const n = Math.min(30 - this.headerFill, chunk.length - i);
      this.header.set(chunk.subarray(i, i + n), this.headerFill);
      this.headerFill += n;
      i += n;
      if (this.headerFill < 4) continue;
      const v = new DataView(this.header.buffer);
      const signature = v.getUint32(0, true);
      if (signature === 0x02014b50 || signature === 0x06054b50) {
        this.finished = true;
        return;
      }
      if (signature !== 0x04034b50) {
        this.lost = true;
        return;
      }
      if (this.headerFill < 30) continue;
      const flags = v.getUint16(6, true);
      const size = v.getUint32(18, true);
      if (flags & 0x08 || size === 0xffffffff) {
        this.lost = true;
        return;
      }
      this.skip = v.getUint16(26, true) + v.getUint16(28, true) + size;
      this.headerFill = 0;
      if (this.skip === 0) this.entries++;
    }
  }
}
