import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { beijingMinute, spreadsheetText, SUMMARY_COLUMNS, writeSummaryXlsx, type TSummaryRow } from './applications-xlsx';

describe('spreadsheetText', () => {
  it('keeps would-be formulas as they are: the cell is a string cell', () => {
    for (const s of ['=1+1', '+86 10', '-2', '@SUM(A1)', '\t=1']) expect(spreadsheetText(s)).toBe(s);
  });
  it('drops what XML 1.0 cannot hold, turns CR into LF, escapes a literal _xHHHH_, cuts at 32,767', () => {
    expect(spreadsheetText('a\u0000b\u0001c\u0008d\u000be\u000cf\u001fg\ufffeh\uffffi')).toBe('abcdefghi');
    expect(spreadsheetText('行一\r\n行二\r行三\n行四')).toBe('行一\n行二\n行三\n行四');
    expect(spreadsheetText('x\ud800y\udc00z𠀀')).toBe('xyz𠀀');
    expect(spreadsheetText('_x0041_ and _x00e9_')).toBe('_x005F_x0041_ and _x005F_x00e9_');
    expect(spreadsheetText('x'.repeat(40_000))).toHaveLength(32_767);
    expect(spreadsheetText(null)).toBe('');
  });
});

describe('beijingMinute', () => {
  it('is the minute in 北京时间, whatever the server’s zone', () => {
    expect(beijingMinute('2023-05-12T02:32:59.999Z')).toBe('2023-05-12 10:32');
    expect(beijingMinute('2023-05-19T15:59:00Z')).toBe('2023-05-19 23:59');
    expect(beijingMinute(null)).toBe('');
  });
});

describe('writeSummaryXlsx', () => {
  it('streams a workbook whose texts read back as written (after spreadsheetText) and whose amounts are exact 万元 numbers', async () => {
    const row = (i: number): TSummaryRow => ({
      number: `2023-BZ-${String(i).padStart(4, '0')}`,
      organisation: `学会${i}`,
      uscc: '51100000500007217U',
      orgType: '全国学会、协会、研究会',
      subProgrammes: '专项',
      projectName: i === 1 ? '=cmd|"/c calc"!A0\u0007' : `项目 _x0041_ ${i}`,
      projectLead: '周志刚',
      projectLeadMobile: '13800002305',
      contactName: '郑晓燕',
      contactPhone: '010-62178305',
      contactMobile: '13800002317',
      castFundsYuan: 123_456,
      totalBudgetYuan: i === 2 ? null : 365_001,
      status: '已提交',
      submittedAt: '2023-05-12 10:32',
      contentHash: '0e12ab34',
    });
    async function* rows() {
      for (let i = 1; i <= 3; i++) yield row(i);
    }
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const ended = new Promise((r) => out.on('end', r));
    expect(await writeSummaryXlsx(out, rows(), { callTitle: '测试批次', generatedAt: new Date('2023-05-20T02:00:00Z') })).toBe(3);
    await ended;
    const raw = Buffer.concat(chunks);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(raw as unknown as ExcelJS.Buffer);
    const ws = wb.getWorksheet('申报汇总')!;
    expect(ws.getRow(2).getCell(6).value).toBe('=cmd|"/c calc"!A0');
    expect(ws.getRow(2).getCell(6).type).toBe(ExcelJS.ValueType.String);
    expect(ws.getRow(2).getCell(12).value).toBe(12.3456);
    expect(ws.getRow(2).getCell(13).value).toBe(36.5001);
    expect(ws.getRow(3).getCell(13).value).toBe(null);
    expect(ws.autoFilter).toBe('A1:P4');
    expect(SUMMARY_COLUMNS).toHaveLength(16);
    // exceljs reads the escape literally; Excel shows "_x0041_"
    const xml = await (await JSZip.loadAsync(raw)).file('xl/sharedStrings.xml')!.async('string');
    expect(xml).toContain('项目 _x005F_x0041_ 3');
  });
});
