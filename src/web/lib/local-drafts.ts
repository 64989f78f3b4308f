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

/**
 * Each tab writes its own copy (a tab id kept in sessionStorage survives a reload of the same
 * tab), so a second tab's successful save can never delete text that another tab typed and
 * did not save. Copies left by closed tabs are offered back when the application is opened.
 */
function tabId(): string {
  try {
    let t = sessionStorage.getItem('shenbao:tab');
    if (!t) {
      t = crypto.randomUUID();
      sessionStorage.setItem('shenbao:tab', t);
    }
    return t;
  } catch {
    return 'tab';
  }
}

const prefix = (applicationId: string, userId: string) => `shenbao:draft:${userId}:${applicationId}`;
const key = (applicationId: string, userId: string) => `${prefix(applicationId, userId)}:${tabId()}`;

function parse(raw: string | null, storageKey: string): (LocalDraft & { key: string }) | null {
  if (!raw) return null;
  try {
    const d = JSON.parse(raw) as LocalDraft;
    return d && typeof d.baseVersion === 'number' && d.data ? { ...d, key: storageKey } : null;
  } catch {
    return null;
  }
}

/**
 * This tab's copy, or else the most recent copy another (closed) tab left for the same
 * application and user. `key` says which copy it is, for {@link clearDraftKey}.
 */
export function readDraft(applicationId: string, userId: string): (LocalDraft & { key: string }) | null {
  try {
    const own = parse(localStorage.getItem(key(applicationId, userId)), key(applicationId, userId));
    if (own) return own;
    const p = prefix(applicationId, userId);
    let best: (LocalDraft & { key: string }) | null = null;
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (!k || (k !== p && !k.startsWith(p + ':'))) continue;
      const d = parse(localStorage.getItem(k), k);
      if (d && (!best || d.savedAt > best.savedAt)) best = d;
    }
    return best;
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

/** Remove this tab's copy (after the server has saved the same data). */
export function clearDraft(applicationId: string, userId: string) {
  clearDraftKey(key(applicationId, userId));
}

/** Remove one copy by its storage key (an offered copy that was restored or discarded). */
export function clearDraftKey(storageKey: string) {
  try {
    localStorage.removeItem(storageKey);
  } catch {
    /* storage unavailable: nothing to clear */
  }
}
