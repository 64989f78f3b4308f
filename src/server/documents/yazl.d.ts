/** The small part of yazl 3.x (which ships no types) that the exports use. */
declare module 'yazl' {
  import type { PassThrough } from 'node:stream';
  export interface EntryOptions {
    /** Entry time (written as a DOS time in the server's local zone, and as UTC in an extra field). */
    mtime?: Date;
    /** false: store the bytes as they are (method 0). */
    compress?: boolean;
  }
  export class ZipFile {
    /** The archive's bytes, written as entries are added; ends after {@link end}. */
    readonly outputStream: PassThrough;
    /** Add a file; its bytes are written at once when every earlier entry has been. Names are UTF-8 with `/` as separator. */
    addBuffer(buffer: Buffer, metadataPath: string, options?: EntryOptions): void;
    /** Write the central directory after the last entry and end {@link outputStream}. */
    end(options?: { comment?: string }): void;
  }
}
