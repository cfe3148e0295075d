// Time as the timing code sees it: the wall clock and a way to be called
// later. Tests pass a fake one (test/support/fake-clock.ts) and move time by hand.

export interface Clock {
  now(): number;
  /** Runs `fn` after `ms`; the returned function cancels it. */
  after(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after: (ms, fn) => {
    const handle = setTimeout(fn, ms);
    return () => clearTimeout(handle);
  },
};
