/** A one-pixel PNG (an accepted attachment type). */
export const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082',
  'hex',
);

/** A minimal PDF (an accepted attachment type). */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n');

/** One file part of a multipart/form-data body. */
export interface FilePart {
  name: string;
  content: Buffer;
  /** form field name, default `file` (the upload route's) */
  field?: string;
  /** the part's declared type, default application/octet-stream (the server looks at the bytes) */
  type?: string;
}

/** A multipart/form-data body with these file parts, as TestClient.request options. */
export function multipartFiles(...parts: FilePart[]) {
  const boundary = '----shenbao' + Math.random().toString(16).slice(2);
  return {
    payload: Buffer.concat([
      ...parts.flatMap((p) => [
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.field ?? 'file'}"; filename="${p.name}"\r\nContent-Type: ${p.type ?? 'application/octet-stream'}\r\n\r\n`, 'utf8'),
        p.content,
        Buffer.from('\r\n'),
      ]),
      Buffer.from(`--${boundary}--\r\n`),
    ]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** A multipart/form-data body with one file part (field `file` unless given). */
export function multipart(name: string, content: Buffer, field = 'file', type?: string) {
  return multipartFiles({ name, content, field, type });
}
