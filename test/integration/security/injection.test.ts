import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import contentDisposition from 'content-disposition';
import { createTestApp, TEST_DB, type TestApp } from '../../support/app';
import { TestClient } from '../../support/client';
import { createApplication, fixture, registerOrg } from '../../support/fixtures';
import { docxText, pdfPages } from '../../support/documents';
import { multipart, PDF, PNG } from '../../support/uploads';
import { setAt, textLeaves, type Path } from '../../support/text-leaves';

/**
 * Stored XSS and markup injection (issue: "stored-XSS attempts in every text field rendered
 * in the browser, in the PDF and in exports"). What is typed is data everywhere: JSON keeps
 * it as typed, the PDF (Typst) prints it literally instead of running it as markup, the
 * DOCX carries it as escaped text, and downloads cannot be turned into pages.
 */

const PAYLOADS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '{{7*7}}',
  '#set page(width: 1pt)',
  "=cmd|' /C calc'!A0",
  '+SUM(1,1)',
  'javascript:alert(1)',
];
// Typst markup and code that would change the document or read files if the text were
// evaluated instead of printed
const TYPST = ['#read("/etc/passwd")', '*粗体* _斜体_ `代码`', '$x^2$ @ref <lbl> ]) // /*'];

/** Two documents cover every text field with every payload (the short fields hold 100 characters). */
const GROUPS = [
  [PAYLOADS[0], PAYLOADS[1], PAYLOADS[2], PAYLOADS[3]].join(' '),
  [PAYLOADS[4], PAYLOADS[5], PAYLOADS[6], ...TYPST].join(' '),
];

/** Field limits: long texts and table cells take the whole group; short fields are cut to fit. */
function valueFor(i: number, group: string, max: number): string {
  const tag = `F${String(i).padStart(2, '0')}`;
  return `${tag} ${group}`.slice(0, max);
}

/** White space removed, and the hyphen a line break may add inside a Latin word. */
const squeeze = (s: string) => s.replace(/\s+/g, '');

/**
 * The value appears in the text as typed: contiguously, or, in a narrow table cell whose
 * wrapped lines the extractor interleaves with the other cells of the row, as an in-order
 * subsequence starting at the field's unique tag and within a short span. Evaluated markup
 * would drop characters (`#set …`, `*…*`, `$…$`) and fail both.
 */
function printedInOrder(text: string, value: string): boolean {
  if (text.includes(value)) return true;
  const tag = value.slice(0, 3);
  for (let start = text.indexOf(tag); start >= 0; start = text.indexOf(tag, start + 1)) {
    let j = 0;
    const end = Math.min(text.length, start + value.length * 8);
    for (let k = start; k < end && j < value.length; k++) if (text[k] === value[j]) j++;
    if (j === value.length) return true;
  }
  return false;
}

const unescapeXml = (s: string) =>
  s.replace(/&(lt|gt|quot|apos|amp|#(\d+)|#x([0-9a-f]+));/gi, (_, n: string, d?: string, h?: string) =>
    d ? String.fromCodePoint(Number(d)) : h ? String.fromCodePoint(parseInt(h, 16)) : ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' } as Record<string, string>)[n.toLowerCase()],
  );

describe(`stored XSS and markup injection in every text field (${TEST_DB})`, () => {
  let t: TestApp;
  let c: TestClient;
  let app: any;
  const base = fixture('evaluation-with-partner').application;
  const leaves = textLeaves(base);

  const LIMIT_BY_KEY: [RegExp, number][] = [
    [/^(basis|plan|outcomes|applicantProfile\.profile)$/, 30000],
    [/^(schedule\.phases\.goal|team\.role|team\.note|budget\.items\.note|budget\.items\.basis)$/, 2000],
    [/^(cover\.applicantUnit|cover\.address|contacts\.partnerUnits\.name|applicantProfile\.(name|supervisor)|team\.unit|budget\.items\.content)$/, 200],
  ];
  const limitOf = (p: Path) => {
    const key = p.filter((x) => typeof x === 'string').join('.');
    return LIMIT_BY_KEY.find(([re]) => re.test(key))?.[1] ?? 100;
  };

  function dataWith(group: string) {
    const data = structuredClone(base) as any;
    leaves.forEach((p, i) => setAt(data, p, valueFor(i, group, limitOf(p))));
    return data;
  }

  beforeAll(async () => {
    t = await createTestApp();
    c = new TestClient(t.app);
    await registerOrg(c);
    app = await createApplication(c, base);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('has text fields to attack', () => {
    expect(leaves.length).toBeGreaterThan(50);
  });

  for (const [g, group] of GROUPS.entries()) {
    describe(`payload group ${g + 1}: ${group.slice(0, 60)}…`, () => {
      let data: any;
      beforeAll(async () => {
        data = dataWith(group);
        const cur = (await c.get(`/api/applications/${app.id}`)).body;
        const r = await c.put(`/api/applications/${app.id}`, { version: cur.version, data });
        expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(200);
      });

      it('the API stores and returns every field exactly as typed, as JSON', async () => {
        const r = await c.get(`/api/applications/${app.id}`);
        expect(r.status).toBe(200);
        expect(String(r.headers['content-type'])).toMatch(/^application\/json/);
        expect(r.headers['x-content-type-options']).toBe('nosniff');
        expect(r.body.data).toEqual(data);
        const list = await c.get('/api/applications');
        expect(String(list.headers['content-type'])).toMatch(/^application\/json/);
        expect(list.body.find((a: any) => a.id === app.id).projectName).toBe(data.projectName);
        // the raw bytes are JSON string escapes, never live markup in an HTML response
        for (const payload of PAYLOADS.filter((x) => group.includes(x))) expect(r.raw.toString('utf8')).toContain(JSON.stringify(payload).slice(1, -1));
      });

      it('the PDF prints every field literally (Typst markup is not evaluated)', async () => {
        const r = await c.get(`/api/applications/${app.id}/pdf`);
        expect(r.status, r.raw.toString('utf8').slice(0, 300)).toBe(200);
        expect(r.headers['content-type']).toBe('application/pdf');
        expect(r.headers['x-content-type-options']).toBe('nosniff');
        const text = squeeze((await pdfPages(r.raw)).join('\n'));
        // `#set page(width: 1pt)` evaluated would give pages 1pt wide; `#read` would print the file
        expect(text).not.toMatch(/root:x:0:0/);
        const missing = leaves.map((p, i) => ({ p, v: valueFor(i, group, limitOf(p)) })).filter(({ v }) => !printedInOrder(text, squeeze(v)));
        expect(
          missing.map(({ p, v }) => `${p.join('.')}: ${v}`),
          'fields not printed literally (read with pdfjs-dist)',
        ).toEqual([]);
        // the wide fields (cover, long texts) read back as one contiguous string
        for (const key of ['projectName', 'basis', 'plan', 'outcomes']) {
          const i = leaves.findIndex((p) => p.join('.') === key);
          expect(text, key).toContain(squeeze(valueFor(i, group, limitOf(leaves[i]))));
        }
      }, 60_000);

      it('the DOCX carries every field as escaped text', async () => {
        const r = await c.get(`/api/applications/${app.id}/docx`);
        expect(r.status).toBe(200);
        expect(String(r.headers['content-disposition'])).toMatch(/^attachment/);
        const { xml } = await docxText(r.raw);
        // markup from the fields never appears as XML elements
        expect(xml).not.toMatch(/<script|<img|<lbl>/i);
        const text = squeeze(unescapeXml([...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('')));
        const missing = leaves.map((p, i) => ({ p, v: valueFor(i, group, limitOf(p)) })).filter(({ v }) => !text.includes(squeeze(v)));
        expect(missing.map(({ p, v }) => `${p.join('.')}: ${v}`)).toEqual([]);
      }, 60_000);
    });
  }

  it('a project name with quotes and a line break cannot split the download headers', async () => {
    const cur = (await c.get(`/api/applications/${app.id}`)).body;
    const name = 'a"; filename="evil.html\r\nX-Injected: 1';
    const r = await c.put(`/api/applications/${app.id}`, { version: cur.version, data: { ...cur.data, projectName: name } });
    expect(r.status).toBe(200);
    for (const kind of ['pdf', 'docx']) {
      const d = await c.get(`/api/applications/${app.id}/${kind}`);
      expect(d.status, `${kind} ${d.raw.toString('utf8').slice(0, 200)}`).toBe(200);
      expect(d.headers['x-injected']).toBeUndefined();
      const cd = contentDisposition.parse(String(d.headers['content-disposition']));
      expect(cd.parameters.filename).not.toMatch(/\.html$/);
      expect(cd.parameters.filename).toMatch(new RegExp(`\\.${kind}$`));
    }
  }, 60_000);

  it('an uploaded file named as markup is stored as typed and served back as an attachment', async () => {
    const cur = (await c.get(`/api/applications/${app.id}`)).body;
    expect(cur.status).toBe('draft');
    // (a `"` cannot be sent raw inside a multipart filename, and `/` separates folders, which are dropped)
    const names = ['<img src=x onerror=alert(1)>.pdf', '<svg onload=alert(1)>.pdf', "a';filename=evil.html; x=.pdf", "=cmd|' -C calc'!A0.pdf", '+SUM(1,1).pdf', '{{7*7}}#set page(width: 1pt).pdf'];
    for (const name of names) {
      const up = await c.request('POST', `/api/applications/${app.id}/attachments`, undefined, multipart(name, PDF));
      expect(up.status, JSON.stringify(up.body)).toBe(201);
      expect(up.body.fileName).toBe(name);
      expect(String(up.headers['content-type'])).toMatch(/^application\/json/);
      const list = await c.get(`/api/applications/${app.id}/attachments`);
      expect(list.body.map((a: any) => a.fileName)).toContain(name);
      const down = await c.get(`/api/applications/${app.id}/attachments/${up.body.id}`);
      expect(down.status).toBe(200);
      expect(down.headers['content-type']).toBe('application/pdf');
      expect(down.headers['x-content-type-options']).toBe('nosniff');
      const header = String(down.headers['content-disposition']);
      expect(header).toMatch(/^attachment;/);
      const parsed = contentDisposition.parse(header);
      expect(parsed.type).toBe('attachment');
      expect(parsed.parameters.filename).toBe(name);
      expect(down.raw.equals(PDF)).toBe(true);
    }
    const folder = await c.request('POST', `/api/applications/${app.id}/attachments`, undefined, multipart('..\\..\\<script>alert(1)<\\script>.pdf', PDF));
    expect(folder.status).toBe(201);
    // the name is kept whole as text; its backslashes become full-width, so it names no folder
    expect(folder.body.fileName).toBe('..＼..＼<script>alert(1)<＼script>.pdf');
    // a page with script, named .html, is refused by content; a PNG named .html is served as an image attachment
    const html = await c.request('POST', `/api/applications/${app.id}/attachments`, undefined, multipart('x.html', Buffer.from('<html><script>alert(1)</script></html>')));
    expect(html.status).toBe(415);
    const png = await c.request('POST', `/api/applications/${app.id}/attachments`, undefined, multipart('page.html', PNG));
    expect(png.status).toBe(201);
    const d = await c.get(`/api/applications/${app.id}/attachments/${png.body.id}`);
    expect(d.headers['content-type']).toBe('image/png');
    expect(String(d.headers['content-disposition'])).toMatch(/^attachment;/);
  });

  it('every response carries nosniff and a CSP that allows no inline or foreign script', async () => {
    const urls = ['/api/session', '/api/calls', `/api/applications/${app.id}`, '/api/applications/00000000-0000-0000-0000-000000000000', '/api/nope', '/'];
    for (const url of urls) {
      const r = await c.get(url);
      expect(r.headers['x-content-type-options'], url).toBe('nosniff');
      const csp = String(r.headers['content-security-policy']);
      const directives = Object.fromEntries(
        csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([k, ...v]) => [k, v]),
      ) as Record<string, string[]>;
      const script = directives['script-src'] ?? directives['default-src'];
      expect(script, `${url}: ${csp}`).toEqual(["'self'"]);
      expect(directives['default-src']).toEqual(["'self'"]);
      expect(directives['object-src']).toEqual(["'none'"]);
      expect(directives['script-src-attr'] ?? ["'none'"], csp).toEqual(["'none'"]);
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
      expect(r.headers['x-frame-options'], url).toBe('SAMEORIGIN');
    }
  });
});
