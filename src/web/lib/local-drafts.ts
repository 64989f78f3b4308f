import type { TApplicationData } from '../../domain';

/**
 * A copy of unsaved edits in localStorage, keyed by application and user, so nothing typed
 * is lost to a closed tab, an expired session or a crash. Written on every change, removed
 * when the server has saved the same data.
 */
export interface LocalDraft {
  /** The server version the edits were based on. */
  baseVersion: number;
  /** The server data at that version (to merge three-way on conflict). */
  base: TApplicationData;
  data: TApplicationData;
  /** ISO time of the last change (local clock; only for display). */
  savedAt: string;
}

const key = (applicationId: string, userId: string) => `shenbao:draft:${userId}:${applicationId}`;

export function readDraft(applicationId: string, userId: string): LocalDraft | null {
  try {
    const raw = localStorage.getItem(key(applicationId, userId));
    if (!raw) return null;
    const d = JSON.parse(raw) as LocalDraft;
    return d && typeof d.baseVersion === 'number' && d.data ? d : null;
  } catch {
    return null;
  }
}

export function writeDraft(applicationId: string, userId: string, draft: LocalDraft): boolean {
  try {
    localStorage.setItem(key(applicationId, userId), JSON.stringify(draft));
    return true;
  } catch {
    return false;
  }
}

export function clearDraft(applicationId: string, userId: string) {
  try {
    localStorage.removeItem(key(applicationId, userId));
  } catch {
    /* storage unavailable: nothing to clear */
  }
}
