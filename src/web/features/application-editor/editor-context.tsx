import { createContext, useContext } from 'react';
import type { FormIssue, TApplicationData } from '../../../domain';
import type { TCall } from '../../api/types';

/** What the section components need: the data, how to change it, and the live issues. */
export interface EditorContextValue {
  data: TApplicationData;
  /** Set a value, or update it from the current one (safe for quick repeated clicks). */
  edit: (path: string, value: unknown | ((current: unknown) => unknown)) => void;
  issuesByPath: Map<string, FormIssue[]>;
  readOnly: boolean;
  /** Show "required" messages on untouched fields too (after 自查 or a submit attempt). */
  showAll: boolean;
  touched: Set<string>;
  /** Sections with saved content when the draft was opened (domain sectionsWithSavedContent). */
  workedSections: ReadonlySet<string>;
  touch: (path: string) => void;
  call: TCall;
  applicationId: string;
}

export const EditorContext = createContext<EditorContextValue | null>(null);

export function useEditor(): EditorContextValue {
  const c = useContext(EditorContext);
  if (!c) throw new Error('useEditor outside EditorContext');
  return c;
}

/** Group issues by exact path. */
export function groupIssues(issues: FormIssue[]): Map<string, FormIssue[]> {
  const m = new Map<string, FormIssue[]>();
  for (const i of issues) {
    const list = m.get(i.path);
    if (list) list.push(i);
    else m.set(i.path, [i]);
  }
  return m;
}
