/**
 * The fuzz run's settings and its random numbers. Every run is reproducible from its seed: the
 * default run uses a fixed seed; `ARBOR_FUZZ_SEED` picks another, `ARBOR_FUZZ_ROUNDS` adds that many
 * random stores per layout (several hostile values each) on top of the catalogue of single cases.
 */

export const FUZZ_SEED = Number(process.env.ARBOR_FUZZ_SEED ?? 20_260_801);
export const FUZZ_ROUNDS = Number(process.env.ARBOR_FUZZ_ROUNDS ?? 4);
/** Every export format and every import target for every case (slower); otherwise they rotate. */
export const FUZZ_FULL = process.env.ARBOR_FUZZ_FULL === '1';
/** Report counts and do not fail (to measure a tree before a fix). */
export const FUZZ_REPORT_ONLY = process.env.ARBOR_FUZZ_REPORT === '1';
/** How long one operation of one case may take, in CPU milliseconds (wall time: three times that). */
export const TIME_BOUND_MS = Number(process.env.ARBOR_FUZZ_BOUND_MS ?? 2000);

/** mulberry32: small, fast, and the same numbers on every platform. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rnd: () => number, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)];
}
