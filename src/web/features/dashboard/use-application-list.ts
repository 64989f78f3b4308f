import { useCallback, useEffect, useState } from 'react';
import { ORGANISATION_FILTER_MAX } from '../../../domain/api';
import { api } from '../../api/client';
import type { TApplicationSummary } from '../../api/types';
import { useRouter } from '../../app/router';

/** The address's query parameter that holds the staff list's 申报单位 filter. */
export const ORGANISATION_PARAM = 'organisation';

export interface ApplicationList {
  /** The lines, null while they load. */
  apps: TApplicationSummary[] | null;
  error: string | null;
  /** The 申报单位 filter in force ('' for none): from the address, so a reload or a shared link keeps it. */
  organisation: string;
  /** Filter by 申报单位 ('' to show all): the address changes in place, without a new history entry. */
  setOrganisation: (value: string) => void;
}

/**
 * The dashboard's list of applications. For staff (`filterable`) it is narrowed by the
 * address's `?organisation=` (GET /api/applications?organisation=: a part of the name or
 * the beginning of the 统一社会信用代码), cut to the server's limit so that a hand-edited
 * address never gets a refusal; an applicant's list is never filtered here.
 */
export function useApplicationList(filterable: boolean): ApplicationList {
  const { path, search, navigate } = useRouter();
  const organisation = filterable ? (search.get(ORGANISATION_PARAM) ?? '').trim().slice(0, ORGANISATION_FILTER_MAX) : '';
  // each answer is kept with the filter it answers: the first render under a new filter shows
  // the list as loading, never the previous filter's lines
  const [answer, setAnswer] = useState<{ organisation: string; apps: TApplicationSummary[] | null; error: string | null } | null>(null);

  useEffect(() => {
    // an answer for a filter that is no longer in force is dropped
    let current = true;
    api.applications({ organisation }).then(
      (apps) => current && setAnswer({ organisation, apps, error: null }),
      (e: Error) => current && setAnswer({ organisation, apps: null, error: e.message }),
    );
    return () => {
      current = false;
    };
  }, [organisation]);
  const mine = answer?.organisation === organisation ? answer : null;

  const setOrganisation = useCallback(
    (value: string) => {
      const params = new URLSearchParams(window.location.search);
      const v = value.trim();
      if (v) params.set(ORGANISATION_PARAM, v);
      else params.delete(ORGANISATION_PARAM);
      const qs = params.toString();
      navigate(qs ? `${path}?${qs}` : path, { replace: true, keepScroll: true });
    },
    [path, navigate],
  );

  return { apps: mine?.apps ?? null, error: mine?.error ?? null, organisation, setOrganisation };
}
