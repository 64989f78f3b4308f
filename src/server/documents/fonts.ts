import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import { Invalid, pathText } from '../../domain';

/**
 * The fonts of the printed 申报书, all from npm packages (so `npm ci` brings them and
 * nothing is needed on the machine):
 * - body (宋体-style): Noto Serif SC Regular (`@expo-google-fonts/noto-serif-sc`);
 * - headings (黑体-style): Source Han Sans SC Medium and Bold (`node-source-han-sans-sc`);
 * - fallback: Source Han Sans SC Regular, which also covers CJK Extension B (𠀾, 𠮷) that
 *   the Google Fonts build of Noto Serif SC lacks.
 * Typst draws an empty box for a character no font has and says nothing, so
 * {@link assertPrintable} checks every text against the fonts' cmaps first.
 */

const require = createRequire(import.meta.url);

export const FONT_FAMILIES = { serif: 'Noto Serif SC', sans: 'Source Han Sans SC' } as const;

const FONT_FILES = {
  serif: '@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf',
  sansRegular: 'node-source-han-sans-sc/SourceHanSansSC-Regular.otf',
  sansMedium: 'node-source-han-sans-sc/SourceHanSansSC-Medium.otf',
  sansBold: 'node-source-han-sans-sc/SourceHanSansSC-Bold.otf',
} as const;

export interface LoadedFonts {
  /** Raw font files, for Typst. */
  blobs: Buffer[];
  /** True when some bundled font used for text has a glyph for the code point. */
  covers(codePoint: number): boolean;
}

let loaded: LoadedFonts | undefined;

/** Load (once per process) the bundled fonts and their cmaps. */
export function loadFonts(): LoadedFonts {
  if (loaded) return loaded;
  const files = Object.fromEntries(Object.entries(FONT_FILES).map(([k, spec]) => [k, readFileSync(require.resolve(spec))])) as Record<
    keyof typeof FONT_FILES,
    Buffer
  >;
  // Text (values, prose) is set in the serif with the sans as fallback; headings use the
  // sans weights, whose character sets are the same as the Regular's.
  const textFonts = [files.serif, files.sansRegular].map((b) => fontkit.create(b) as fontkit.Font);
  const cache = new Map<number, boolean>();
  loaded = {
    blobs: [files.serif, files.sansRegular, files.sansMedium, files.sansBold],
    covers(cp: number): boolean {
      let v = cache.get(cp);
      if (v === undefined) {
        v = textFonts.some((f) => f.hasGlyphForCodePoint(cp));
        cache.set(cp, v);
      }
      return v;
    },
  };
  return loaded;
}

/** Characters that need no glyph: line breaks, tabs and zero-width format characters. */
function needsNoGlyph(cp: number): boolean {
  return cp === 0x0a || cp === 0x0d || cp === 0x09 || cp === 0x200b || cp === 0x200c || cp === 0x200d || cp === 0xfeff;
}

/** "U+20BB7" */
export function codePointText(cp: number): string {
  return 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
}

/** A character in the data that no bundled font can print. */
export interface MissingGlyph {
  path: string;
  codePoint: number;
  char: string;
  /** 1-based position (in characters) inside the field's text. */
  index: number;
}

/** Every character of every string in `value` that no bundled font has, with its path. */
export function findMissingGlyphs(value: unknown, fonts: LoadedFonts = loadFonts(), basePath: (string | number)[] = []): MissingGlyph[] {
  const out: MissingGlyph[] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    if (typeof v === 'string') {
      let i = 0;
      for (const ch of v) {
        i++;
        const cp = ch.codePointAt(0)!;
        if (cp < 0x7f && cp >= 0x20) continue;
        if (needsNoGlyph(cp)) continue;
        if (!fonts.covers(cp)) out.push({ path: pathText(path), codePoint: cp, char: ch, index: i });
      }
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(value, basePath);
  return out;
}

/**
 * Throw {@link Invalid} (code `missing_glyph`) when `data` holds a character that no
 * bundled font can print. The message and each problem name the field path and the code
 * point, e.g. "budget.items[2].basis 第 5 个字符 U+E000".
 */
export function assertPrintable(data: unknown, fonts: LoadedFonts = loadFonts()): void {
  const missing = findMissingGlyphs(data, fonts);
  if (missing.length === 0) return;
  const problems = missing.map((m) => ({
    path: m.path,
    message: `${m.path} 第 ${m.index} 个字符 ${codePointText(m.codePoint)} 无法打印：申报书字体中没有这个字符，请改用常用字或以文字说明`,
  }));
  const first = problems.slice(0, 5).map((p) => p.message.split('：')[0]);
  throw new Invalid(`申报书中有 ${missing.length} 个字符无法打印（${first.join('；')}${missing.length > 5 ? '；…' : ''}）`, problems, 'missing_glyph');
}
