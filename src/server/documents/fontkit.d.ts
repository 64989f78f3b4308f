/** The small part of fontkit 2.x (which ships no types) that the documents use. */
declare module 'fontkit' {
  export interface Font {
    familyName: string;
    postscriptName: string;
    hasGlyphForCodePoint(codePoint: number): boolean;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
  export function openSync(filename: string, postscriptName?: string): Font;
}
