/**
 * The clock is injected (DESIGN.md, Lifecycle): production uses the system clock, demos a
 * simulated clock that starts at a given instant and runs on, tests a fixed clock they move.
 * No code outside this module calls `new Date()` for "now".
 */
export interface Clock {
  /** The current instant. */
  now(): Date;
  /** True when the clock is not the system clock (the UI says so). */
  readonly simulated: boolean;
}

/** The real time. */
export const systemClock: Clock = { now: () => new Date(), simulated: false };

/** A clock that starts at `start` and runs on in real time from the moment it is made. */
export function simulatedClock(start: Date): Clock {
  const offset = start.getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset), simulated: true };
}

/** A clock for tests: stands still at the instant it is set to. */
export interface FixedClock extends Clock {
  set(instant: Date | string): void;
  advance(ms: number): void;
}

/** A {@link FixedClock} starting at `start`. */
export function fixedClock(start: Date | string): FixedClock {
  let t = new Date(start).getTime();
  return {
    simulated: true,
    now: () => new Date(t),
    set(instant) {
      t = new Date(instant).getTime();
    },
    advance(ms) {
      t += ms;
    },
  };
}
