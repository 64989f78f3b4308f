/** The outcome of one item of {@link mapOrdered}: its value, or the error it failed with. */
export type Settled<T, R> = { item: T; index: number } & ({ ok: true; value: R } | { ok: false; error: unknown });

/**
 * Run `fn` over `items` with at most `concurrency` calls in flight and yield the outcomes
 * in the order of `items` (a result that is ready early waits for those before it). Stops
 * starting new calls as soon as `stopped()` is true — checked before each start and before
 * each yield; calls already in flight are left to finish, their outcomes dropped. A failed
 * call does not stop the others: its error is yielded in its place.
 */
export async function* mapOrdered<T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>, stopped: () => boolean = () => false): AsyncGenerator<Settled<T, R>> {
  const inFlight: Promise<Settled<T, R>>[] = [];
  let next = 0;
  const start = () => {
    const index = next++;
    const item = items[index];
    inFlight.push(
      fn(item, index).then(
        (value) => ({ item, index, ok: true as const, value }),
        (error: unknown) => ({ item, index, ok: false as const, error }),
      ),
    );
  };
  const fill = () => {
    while (inFlight.length < Math.max(1, concurrency) && next < items.length && !stopped()) start();
  };
  for (fill(); inFlight.length; fill()) {
    const outcome = await inFlight.shift()!;
    if (stopped()) return;
    // the next call starts while the caller handles this outcome
    fill();
    yield outcome;
  }
}
