import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { deadlineInstant, validateApplication, type FormIssue, type TApplicationData } from '../../../domain';
import { serverNow } from '../../lib/server-clock';
import { ApiError, api } from '../../api/client';
import type { TApplication, TCall } from '../../api/types';
import { clearDraft, clearDraftKey, readDraft, writeDraft, type LocalDraft } from '../../lib/local-drafts';
import { planMerge, type MergePlan } from '../../lib/merge';
import { getPath, jsonEqual, setPath } from '../../lib/paths';
import { loadCall } from '../../lib/use-call';

/**
 * State of one application in the editor: the data being edited, the server version it is
 * based on, autosave (3 s after typing stops; only when something changed), the local copy
 * in localStorage, conflicts (409 version_conflict → three-way merge plan), expiry (401) and
 * network retries. The rules run here on every change — the same code the server runs.
 */
export type SaveState = 'saved' | 'dirty' | 'saving' | 'retrying' | 'expired' | 'conflict' | 'refused';

export const AUTOSAVE_MS = 3000;
/** In the last minutes before the deadline a change is saved almost at once. */
export const AUTOSAVE_NEAR_DEADLINE_MS = 500;
const NEAR_DEADLINE_MS = 10 * 60_000;
const RETRY_MS = [3000, 5000, 10000, 20000, 30000, 60000];

export interface ConflictState {
  plan: MergePlan;
  current: { version: number; data: TApplicationData; updatedAt: string };
}

export function useApplicationEditor(id: string, userId: string) {
  const [app, setApp] = useState<TApplication | null>(null);
  const [call, setCall] = useState<TCall | null>(null);
  const callRef = useRef<TCall | null>(null);
  const autosaveDelay = () => {
    const c = callRef.current;
    return c && deadlineInstant(c.window.closes).getTime() - serverNow().getTime() < NEAR_DEADLINE_MS ? AUTOSAVE_NEAR_DEADLINE_MS : AUTOSAVE_MS;
  };
  const [loadError, setLoadError] = useState<string | null>(null);
  const [data, setData] = useState<TApplicationData>({});
  const [saveState, setSaveState] = useState<SaveState>('saved');
  const [lastSavedAt, setLastSavedAt] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<ConflictState | null>(null);
  const [restoreOffer, setRestoreOffer] = useState<(LocalDraft & { key: string }) | null>(null);
  const [mergedFromServer, setMergedFromServer] = useState<string[]>([]);

  // Refs hold the latest values for timers and async callbacks.
  const dataRef = useRef<TApplicationData>({});
  const baseRef = useRef<TApplicationData>({});
  const versionRef = useRef(0);
  const dirtyRef = useRef(false);
  const inFlight = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const retries = useRef(0);
  const blocked = useRef(false); // conflict, expired or refused: wait for the person
  const saveRef = useRef<() => Promise<boolean>>(async () => false);

  const persistLocal = useCallback(() => {
    writeDraft(id, userId, { baseVersion: versionRef.current, base: baseRef.current, data: dataRef.current, savedAt: new Date().toISOString() });
  }, [id, userId]);

  const schedule = useCallback((ms: number) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void saveRef.current(), ms);
  }, []);

  const load = useCallback(async () => {
    try {
      const a = await api.application(id);
      const c = await loadCall(a.callCode);
      setCall(c);
      callRef.current = c;
      setApp(a);
      dataRef.current = a.data;
      baseRef.current = a.data;
      versionRef.current = a.version;
      dirtyRef.current = false;
      blocked.current = false;
      setData(a.data);
      setLastSavedAt(a.updatedAt);
      setSaveState('saved');
      const local = readDraft(id, userId);
      if (local && !jsonEqual(local.data, a.data)) setRestoreOffer(local);
      else if (local) clearDraftKey(local.key);
      setLoadError(null);
    } catch (e) {
      setLoadError(e instanceof Error ? e.message : '无法加载申报书');
    }
  }, [id, userId]);

  useEffect(() => {
    void load();
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [load]);

  /** Save now if there is anything to save. Resolves true when the server has it all. */
  const save = useCallback(async (): Promise<boolean> => {
    if (timer.current) clearTimeout(timer.current);
    if (!dirtyRef.current) return true;
    if (inFlight.current || blocked.current) return false;
    inFlight.current = true;
    setSaveState('saving');
    const snapshot = dataRef.current;
    try {
      const r = await api.saveApplication(id, versionRef.current, snapshot);
      retries.current = 0;
      versionRef.current = r.version;
      baseRef.current = snapshot;
      setLastSavedAt(r.updatedAt);
      setSaveError(null);
      setApp((a) => (a ? { ...a, version: r.version, updatedAt: r.updatedAt } : a));
      if (dataRef.current === snapshot) {
        dirtyRef.current = false;
        clearDraft(id, userId);
        setSaveState('saved');
      } else {
        persistLocal();
        setSaveState('dirty');
        schedule(autosaveDelay());
      }
      return dataRef.current === snapshot;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      persistLocal();
      if (e.isNetwork || e.status >= 500 || e.status === 429) {
        setSaveState('retrying');
        setSaveError(e.message);
        schedule(RETRY_MS[Math.min(retries.current++, RETRY_MS.length - 1)]);
      } else if (e.status === 401) {
        blocked.current = true;
        setSaveState('expired');
        setSaveError('登录已过期。您的修改已保存在本机，重新登录后可以恢复。');
      } else if (e.code === 'version_conflict' && e.body.current) {
        const current = e.body.current;
        const plan = planMerge(baseRef.current, dataRef.current, current.data);
        if (plan.conflicts.length === 0) {
          // Only the other side changed what we did not touch: take theirs, keep ours.
          baseRef.current = current.data;
          versionRef.current = current.version;
          dataRef.current = plan.merged;
          setData(plan.merged);
          setMergedFromServer(plan.takenFromServer);
          inFlight.current = false;
          return saveRef.current();
        }
        blocked.current = true;
        setConflict({ plan, current });
        setSaveState('conflict');
      } else {
        // The text stays on screen and in localStorage. After the deadline (or once submitted)
        // nothing more can be saved; any other refusal is about the input itself, so the form
        // stays editable and the next change is saved again once it is corrected.
        const final = e.code === 'deadline_passed' || e.code === 'not_editable';
        blocked.current = final;
        setSaveState('refused');
        const problems = e.body.problems?.map((p) => `${p.path}：${p.message}`).join('；');
        setSaveError(problems ? `${e.message}（${problems}）` : e.message);
        if (final) setApp((a) => (a ? { ...a, editable: false } : a));
      }
      return false;
    } finally {
      inFlight.current = false;
    }
  }, [id, userId, persistLocal, schedule]);
  saveRef.current = save;

  /** Change one field by its contract path. */
  const edit = useCallback(
    (path: string, value: unknown | ((current: unknown) => unknown)) => {
      const v = typeof value === 'function' ? (value as (c: unknown) => unknown)(getPath(dataRef.current, path)) : value;
      const next = setPath(dataRef.current, path, v);
      dataRef.current = next;
      dirtyRef.current = true;
      setData(next);
      persistLocal();
      setSaveState((s) => (s === 'saved' || s === 'saving' ? 'dirty' : s));
      if (!blocked.current) schedule(autosaveDelay());
    },
    [persistLocal, schedule],
  );

  /** Apply the person's resolution of a conflict and save on the server's version. */
  const resolveConflict = useCallback(
    (merged: TApplicationData) => {
      if (!conflict) return;
      baseRef.current = conflict.current.data;
      versionRef.current = conflict.current.version;
      dataRef.current = merged;
      dirtyRef.current = true;
      blocked.current = false;
      setData(merged);
      setConflict(null);
      persistLocal();
      void saveRef.current();
    },
    [conflict, persistLocal],
  );

  /** Take the local copy offered after loading (kept after a 401, crash or closed tab). */
  const acceptRestore = useCallback(() => {
    if (!restoreOffer) return;
    baseRef.current = restoreOffer.base ?? baseRef.current;
    versionRef.current = restoreOffer.baseVersion;
    dataRef.current = restoreOffer.data;
    dirtyRef.current = true;
    setData(restoreOffer.data);
    // the copy becomes this tab's own; one left by a closed tab is then no longer needed
    persistLocal();
    if (readDraft(id, userId)?.key !== restoreOffer.key) clearDraftKey(restoreOffer.key);
    setRestoreOffer(null);
    setSaveState('dirty');
    void saveRef.current();
  }, [restoreOffer, persistLocal, id, userId]);

  const discardRestore = useCallback(() => {
    if (restoreOffer) clearDraftKey(restoreOffer.key);
    setRestoreOffer(null);
  }, [restoreOffer]);

  /** After logging in again: unblock and save what is pending. */
  const resume = useCallback(() => {
    blocked.current = false;
    setSaveError(null);
    setSaveState(dirtyRef.current ? 'dirty' : 'saved');
    void saveRef.current();
  }, []);

  // Warn before closing the tab with unsaved edits (the local copy exists anyway).
  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!dirtyRef.current) return;
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, []);

  // Retry promptly when the browser comes back online.
  useEffect(() => {
    const onOnline = () => {
      if (dirtyRef.current && !blocked.current) void saveRef.current();
    };
    window.addEventListener('online', onOnline);
    return () => window.removeEventListener('online', onOnline);
  }, []);

  // The rules and everything that shows their findings render at low priority: typing
  // stays immediate, and the messages follow as soon as the browser is idle.
  const checkedData = useDeferredValue(data);
  const issues: FormIssue[] = useMemo(
    () => (call && app ? validateApplication(checkedData, { call, orgType: app.orgType }) : []),
    [checkedData, call, app?.orgType],
  );

  return {
    app,
    setApp,
    call,
    loadError,
    data,
    issues,
    saveState,
    saveError,
    lastSavedAt,
    conflict,
    restoreOffer,
    mergedFromServer,
    clearMergedNotice: () => setMergedFromServer([]),
    edit,
    save,
    reload: load,
    resolveConflict,
    acceptRestore,
    discardRestore,
    resume,
    isDirty: () => dirtyRef.current,
  };
}

export type EditorApi = ReturnType<typeof useApplicationEditor>;
