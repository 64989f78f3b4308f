import { useEffect, useState } from 'react';

/**
 * The server's clock as seen from the browser: GET /api/session returns `now`; we keep the
 * offset to the local clock, so countdowns follow a simulated server clock and a wrong
 * local clock does not matter.
 */
let offsetMs = 0;

export function syncServerClock(serverNowIso: string) {
  const t = Date.parse(serverNowIso);
  if (!Number.isNaN(t)) offsetMs = t - Date.now();
}

export function serverNow(): Date {
  return new Date(Date.now() + offsetMs);
}

/** The server's now, re-rendered every `intervalMs`. */
export function useServerNow(intervalMs = 1000): Date {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const t = setInterval(() => setNow(serverNow()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}
