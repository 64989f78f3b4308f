/**
 * Poll `check` every 20 ms until it holds, for at most `ms` milliseconds; true if it held.
 * For what another connection delivers in its own time (PostgreSQL's NOTIFY).
 */
export async function within(ms: number, check: () => Promise<boolean> | boolean): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
}
