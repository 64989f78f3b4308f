import { beijingParts, deadlineInstant, formatBeijing } from '../../domain';

const p2 = (n: number) => String(n).padStart(2, '0');

/** "10:32:15" in 北京时间 for an ISO instant. */
export function beijingTime(iso: string): string {
  const p = beijingParts(new Date(iso));
  return `${p2(p.hour)}:${p2(p.minute)}:${p2(p.second)}`;
}

/**
 * "2023年5月12日 10:32（北京时间）" for an ISO instant, or "—"; without "（北京时间）" when
 * `suffix` is false (where a column's title says it).
 */
export function beijingDateTime(iso: string | null | undefined, seconds = false, suffix = true): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return formatBeijing(d, { seconds, suffix });
}

/** "还剩 3 天 04 小时 12 分 05 秒" until a deadline (date-only or ISO); "已截止" after. */
export function timeLeft(deadline: string, now: Date): { text: string; ms: number } {
  const ms = deadlineInstant(deadline).getTime() - now.getTime();
  if (ms <= 0) return { text: '已截止', ms };
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return { text: `${d > 0 ? `${d} 天 ` : ''}${p2(h)} 小时 ${p2(m)} 分 ${p2(sec)} 秒`, ms };
}

/** "1.2 MB" */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
