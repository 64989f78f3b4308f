import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Invalid, type TApplicationData } from '../../../domain';
import { CALL_2023 } from '../../../domain/calls/call-2023';
import { contentHash } from '../../../domain/documents/content-hash';
import { expectedValues, firstOutOfOrder, normalise, pdfPageSizes, pdfPages } from '../../../../test/support/documents';
import { loadFixtures } from '../../../../test/support/fixtures';
import { closePdfRenderer, PdfRendererUnavailable, pdfRendererStatus, renderApplicationPdf } from './render-pdf';

const GENERATED_AT = new Date('2023-05-12T02:32:00Z');

function render(data: TApplicationData, opts: { number?: string | null; status?: string } = {}) {
  return renderApplicationPdf({
    data,
    call: CALL_2023,
    number: opts.number === undefined ? '2023-BZ-0007' : opts.number,
    status: opts.status ?? 'submitted',
    contentHash: contentHash(data),
    generatedAt: GENERATED_AT,
  });
}

const clone = <T>(v: T): T => structuredClone(v);
const fixtures = loadFixtures().map((f) => ({ name: f.name, data: f.application }));

describe('renderApplicationPdf', () => {
  // the first render starts a renderer child (tsx, fonts, compiler) and the first read loads
  // pdf.js: neither belongs to any one test's time
  beforeAll(async () => {
    await pdfPages(await render(fixtures[0].data));
  }, 60_000);

  it('has fixtures to print', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(3);
  });

  describe.each(fixtures)('$name', ({ data }) => {
    it('prints every field value in the template order, on A4 pages that all carry the number and the hash', async () => {
      const pdf = await render(data);
      expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');

      const sizes = await pdfPageSizes(pdf);
      expect(sizes.length).toBeGreaterThanOrEqual(5);
      expect(sizes.length).toBeLessThanOrEqual(20);
      for (const s of sizes) {
        expect(s.width).toBeCloseTo(595.28, 0);
        expect(s.height).toBeCloseTo(841.89, 0);
      }

      const pages = await pdfPages(pdf);
      expect(pages).toHaveLength(sizes.length);
      const hash = contentHash(data);
      pages.forEach((p, i) => {
        const t = p.replace(/\s+/g, '');
        expect(t, `page ${i + 1}`).toContain('申报编号：2023-BZ-0007');
        expect(t, `page ${i + 1}`).toContain(`内容校验码：${hash}`);
        expect(t, `page ${i + 1}`).toContain(`第${i + 1}页共${pages.length}页`);
      });

      const text = pages.join('\n');
      // The template's own order of headings.
      const headings = ['学会公共服务能力提升项目', '申报书', '中国科协科学技术创新部制', '填报说明', '一、项目名称', '二、项目联系人', '三、申报单位情况', '七、项目实施进度计划', '九、项目经费预算', '十、申报单位意见', '申报单位负责人（签名）', '单位公章'];
      expect(firstOutOfOrder(text, headings.map((h) => ({ path: 'template', text: h })))).toBeNull();
      expect(firstOutOfOrder(text, expectedValues(data))).toBeNull();
      // A submitted copy has no watermark.
      expect(normalise(text).length).toBeGreaterThan(0);
      expect(text).not.toContain('草稿');
    });
  });

  it('prints 未提交 and a 草稿 watermark on a draft', async () => {
    const pdf = await render(fixtures[0].data, { number: null, status: 'draft' });
    const pages = await pdfPages(pdf);
    for (const p of pages) {
      const t = p.replace(/\s+/g, '');
      expect(t).toContain('申报编号：未提交');
      expect(t).toContain('草稿');
    }
  });

  it('prints rare characters outside GB2312 and outside the BMP as themselves', async () => {
    const data = clone(fixtures[0].data);
    data.team![0].name = '王喆';
    data.team![1].name = '李堃';
    data.contacts!.unitHead!.name = '张镕';
    data.applicantProfile!.headName = '刘䶮';
    data.projectName = '𠀾与𠮷：生僻字测试项目';
    data.cover!.contactName = '吉𠮷';
    const text = (await pdfPages(await render(data))).join('');
    for (const ch of ['喆', '堃', '镕', '䶮', '𠀾', '𠮷']) expect(text).toContain(ch);
    expect(text).toContain('王喆');
    expect(text).toContain('吉𠮷');
    expect(text.replace(/\s+/g, '')).toContain('𠀾与𠮷：生僻字测试项目');
  });

  it('fails naming the field path and the code point when no font has a character', async () => {
    const data = clone(fixtures[0].data);
    data.budget!.items![1].basis = '测算\uE000依据';
    await expect(render(data)).rejects.toThrow(Invalid);
    await expect(render(data)).rejects.toThrow(/budget\.items\[1\]\.basis.*U\+E000/);
    try {
      await render(data);
    } catch (e) {
      expect((e as Invalid).code).toBe('missing_glyph');
      expect((e as Invalid).problems).toEqual([expect.objectContaining({ path: 'budget.items[1].basis' })]);
      expect((e as Invalid).problems[0].message).toContain('U+E000');
    }
  });

  it('fails on a CJK Extension G character (U+30000) that no bundled font covers', async () => {
    const data = clone(fixtures[0].data);
    data.team![2].role = '负责\u{30000}';
    await expect(render(data)).rejects.toThrow(/team\[2\]\.role.*U\+30000/);
  });

  it('prints a project name full of Typst markup literally', async () => {
    const data = clone(fixtures[0].data);
    const name = '#set text(red) $x^2$ *粗* _斜_ `code` <lbl> [链接] \\ @ref = #panic("boom") // 注释 /* x */';
    data.projectName = name;
    data.basis = `= 不是标题\n- 不是列表 #strong[不加粗]\n${data.basis}`;
    const text = (await pdfPages(await render(data))).join('\n').replace(/\s+/g, '');
    expect(text).toContain(name.replace(/\s+/g, ''));
    expect(text).toContain('=不是标题');
    expect(text).toContain('-不是列表#strong[不加粗]');
  });

  it('keeps a long unbroken Latin run inside the page (it wraps, the text stays whole)', async () => {
    const data = clone(fixtures[0].data);
    const url = 'https://example.cn/' + 'averyveryverylongpathsegment'.repeat(4) + '?q=1';
    data.team![0].note = url;
    data.contacts!.projectLead!.email = 'a.very.long.mailbox.name.for.testing@subdomain.example.cn';
    const text = (await pdfPages(await render(data))).join('\n').replace(/\s+/g, '');
    expect(text).toContain(url);
    expect(text).toContain('a.very.long.mailbox.name.for.testing@subdomain.example.cn');
  });
});

describe('renderer child processes', () => {
  afterAll(async () => {
    await closePdfRenderer();
  });
  const pids = () => pdfRendererStatus().children.map((c) => c.pid);

  it('fails the render whose child dies with a clean 503 error, and the next render gets a new child', async () => {
    await render(fixtures[0].data);
    const [pid] = pids();
    const pending = render(fixtures[1].data);
    process.kill(pid!, 'SIGKILL');
    const err = await pending.catch((e) => e);
    expect(err).toBeInstanceOf(PdfRendererUnavailable);
    expect(err).toMatchObject({ code: 'unavailable', reason: 'crashed' });
    expect(err.message).toContain('申报书 PDF 生成进程意外退出');
    const pdf = await render(fixtures[1].data);
    expect((await pdfPages(pdf)).join('')).toContain('申报编号：2023-BZ-0007');
    expect(pids()).not.toContain(pid);
  }, 60_000);

  it('does not keep a script alive once its render is done (idle children are unref\'d), and ends them after closePdfRenderer()', async () => {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const script = `
      import { renderApplicationPdf, pdfRendererStatus, closePdfRenderer } from ${JSON.stringify(new URL('./render-pdf.ts', import.meta.url).href)};
      import { CALL_2023 } from ${JSON.stringify(new URL('../../../domain/calls/call-2023.ts', import.meta.url).href)};
      const pdf = await renderApplicationPdf({ data: { projectName: '测试' }, call: CALL_2023, number: null, status: 'draft', contentHash: '00000000', generatedAt: new Date(0) });
      const pids = pdfRendererStatus().children.map((c) => c.pid);
      if (process.argv.includes('close')) await closePdfRenderer();
      console.log(JSON.stringify({ bytes: pdf.byteLength, pids }));`;
    const run = promisify(execFile);
    // exec's timeout kills a script that hangs: the test fails instead of waiting forever
    await Promise.all(
      ['leave', 'close'].map(async (mode) => {
        const { stdout } = await run(process.execPath, ['--import', tsx, '--input-type=module', '-e', script, mode], { timeout: 45_000, cwd: fileURLToPath(new URL('.', import.meta.url)) });
        const out = JSON.parse(stdout);
        expect(out.bytes).toBeGreaterThan(1000);
        expect(out.pids).toHaveLength(1);
        // the child goes with its parent (it exits when the IPC channel closes)
        await expect.poll(() => isAlive(out.pids[0]), { timeout: 5_000 }).toBe(false);
      }),
    );
  }, 60_000);
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('contentHash', () => {
  it('is 8 hex digits, the same for the same data whatever the key order, different for different data', () => {
    const d = fixtures[0].data;
    const h = contentHash(d);
    expect(h).toMatch(/^[0-9a-f]{8}$/);
    expect(contentHash(clone(d))).toBe(h);
    const reordered = Object.fromEntries(Object.entries(d).reverse());
    expect(contentHash(reordered)).toBe(h);
    const changed = clone(d);
    changed.projectName += '。';
    expect(contentHash(changed)).not.toBe(h);
  });
});
