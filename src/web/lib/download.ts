import { ApiError } from '../api/client';
import { ZipEntryCounter } from './zip-progress';

/** How far a download has come. `files`/`totalFiles` are known for the server's .zip exports only. */
export interface DownloadProgress {
  bytes: number;
  /** Files of the archive received whole, or null when they cannot be counted. */
  files: number | null;
  /** Files the server announced (header x-export-count), or null. */
  totalFiles: number | null;
}

/** The file name of a Content-Disposition header: RFC 5987 `filename*` first, else `filename`. */
export function dispositionFileName(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      /* a malformed name: try the plain one */
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"/i.exec(header);
  return plain?.[1] || fallback;
}

/**
 * Download a file from the API with the session's cookie, reading the answer as it
 * arrives so that `onProgress` can say how much has come (bytes; for a .zip, whole files
 * against the count the server announced), then save it under the server's file name.
 * Rejects with an {@link ApiError} carrying the server's Chinese message for an error
 * answer, code 'network' when the connection fails, 'aborted' when `signal` aborts.
 * Returns the saved file's name.
 */
export async function downloadFile(url: string, opts: { onProgress?: (p: DownloadProgress) => void; signal?: AbortSignal; fallbackName: string }): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin', signal: opts.signal });
  } catch {
    if (opts.signal?.aborted) throw new ApiError(0, 'aborted', '下载已取消');
    throw new ApiError(0, 'network', '网络连接失败，请检查网络后重试');
  }
  if (!res.ok) {
    let body: { code?: string; message?: string } = {};
    try {
      body = await res.json();
    } catch {
      /* not JSON: the status says enough */
    }
    throw new ApiError(res.status, body.code ?? `http_${res.status}`, body.message || `下载失败（${res.status}）`, body);
  }
  const totalFiles = Number(res.headers.get('x-export-count') ?? NaN);
  const isZip = (res.headers.get('content-type') ?? '').startsWith('application/zip');
  const counter = isZip ? new ZipEntryCounter() : null;
  const parts: Uint8Array[] = [];
  let bytes = 0;
  const report = () =>
    opts.onProgress?.({ bytes, files: counter && !counter.lost ? counter.entries : null, totalFiles: Number.isFinite(totalFiles) ? totalFiles : null });
  report();
  if (res.body) {
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        bytes += value.byteLength;
        counter?.push(value);
        report();
      }
    } catch {
      if (opts.signal?.aborted) throw new ApiError(0, 'aborted', '下载已取消');
      throw new ApiError(0, 'network', '下载中断：网络连接断开或服务器停止了发送，请重试');
    }
  }
  if (counter && !counter.lost && !counter.finished) throw new ApiError(0, 'network', '下载不完整：压缩包没有收完，请重试');
  const name = dispositionFileName(res.headers.get('content-disposition'), opts.fallbackName);
  const blob = new Blob(parts as BlobPart[], { type: res.headers.get('content-type') ?? 'application/octet-stream' });
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // the browser has taken the file by then; the blob would otherwise live as long as the page
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
  return name;
}
