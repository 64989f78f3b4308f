import { describe, expect, it } from 'vitest';
import { CALL_2023 } from '../../../domain/calls/call-2023';
import { contentHash } from '../../../domain/documents/content-hash';
import { docxText, expectedValues, firstOutOfOrder } from '../../../../test/support/documents';
import { loadFixtures } from '../../../../test/support/fixtures';
import { renderApplicationDocx } from './render-docx';

const fixtures = loadFixtures().map((f) => ({ name: f.name, data: f.application }));

describe('renderApplicationDocx', () => {
  describe.each(fixtures)('$name', ({ data }) => {
    it('holds every field value in the template order, repeated header rows and page-number fields', async () => {
      const docx = await renderApplicationDocx({
        data,
        call: CALL_2023,
        number: '2023-PJ-0003',
        status: 'submitted',
        contentHash: contentHash(data),
        generatedAt: new Date('2023-05-12T02:32:00Z'),
      });
      expect(Buffer.from(docx.subarray(0, 2)).toString('latin1')).toBe('PK');
      const { xml, text } = await docxText(docx);
      expect(firstOutOfOrder(text, expectedValues(data))).toBeNull();
      expect(text).toContain('申报单位负责人（签名）：');
      expect(xml).toContain('<w:tblHeader/>');
      expect(xml).not.toContain('草稿');
    });
  });

  it('prints markup-like and rare characters literally, and 草稿 / 未提交 on a draft', async () => {
    const data = structuredClone(fixtures[0].data);
    data.projectName = '<w:t>&amp; #set 𠮷 喆 $x$ *b*';
    const docx = await renderApplicationDocx({ data, call: CALL_2023, number: null, status: 'draft', contentHash: contentHash(data), generatedAt: new Date('2023-05-12T02:32:00Z') });
    const { text } = await docxText(docx);
    expect(text).toContain('<w:t>&amp; #set 𠮷 喆 $x$ *b*');
    const { default: JSZip } = await import('jszip');
    const zip = await JSZip.loadAsync(docx);
    const parts = await Promise.all(Object.keys(zip.files).filter((f) => /word\/(header|footer)\d*\.xml/.test(f)).map((f) => zip.file(f)!.async('string')));
    const chrome = parts.join('');
    expect(chrome).toContain('草稿');
    expect(chrome).toContain('申报编号：未提交');
    expect(chrome).toContain('PAGE');
    expect(chrome).toContain('NUMPAGES');
  });
});
