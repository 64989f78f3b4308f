import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from './content-hash';

describe('content hash of the printed 申报书', () => {
  it('is the first 8 hex digits of SHA-256 over the canonical JSON, as node:crypto computes it', () => {
    const data = { projectName: '工业智能检测𠮷', budget: { items: [{ amount: '7.35' }], castFunds: 20 }, a: null };
    const text = canonicalJson(data);
    expect(text).toBe('{"a":null,"budget":{"castFunds":20,"items":[{"amount":"7.35"}]},"projectName":"工业智能检测𠮷"}');
    expect(contentHash(data)).toBe(createHash('sha256').update(text).digest('hex').slice(0, 8));
  });

  it('does not depend on key order or undefined keys', () => {
    expect(contentHash({ b: 1, a: [1, { d: 2, c: 3 }], u: undefined })).toBe(contentHash({ a: [1, { c: 3, d: 2 }], b: 1 }));
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: 2 }));
  });
});
