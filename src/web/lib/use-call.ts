import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { TCall } from '../api/types';

const cache = new Map<string, Promise<TCall>>();

/** A call definition by code, fetched once per page load. */
export function loadCall(code: string): Promise<TCall> {
  let p = cache.get(code);
  if (!p) {
    p = api.call(code);
    p.catch(() => cache.delete(code));
    cache.set(code, p);
  }
  return p;
}

export function useCall(code: string | null | undefined): TCall | null {
  const [call, setCall] = useState<TCall | null>(null);
  useEffect(() => {
    if (!code) return;
    let alive = true;
    loadCall(code).then(
      (c) => alive && setCall(c),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [code]);
  return call;
}

/** "团体标准 + 跟踪与服务（跟踪：团体标准）" */
export function subProgrammeText(call: TCall | null, codes: string[], track?: string | null): string {
  if (!call) return codes.join(' + ');
  const name = (c: string) => call.subProgrammes.find((s) => s.code === c)?.shortName ?? c;
  const main = codes.map(name).join(' + ');
  return track ? `${main}（跟踪：${name(track)}）` : main;
}
