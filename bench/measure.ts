/** Timing helpers: the median of several runs after a warm-up, so one GC pause does not decide. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function timeMedian(runs: number, fn: () => unknown, warmup = 2): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

export function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export function heapUsedMb(): number {
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

/**
 * A figure and its floor timed in alternation (floor, ours, floor, ours, …) so both see the same
 * machine load, which on a shared 2-core box moves more than either figure; medians of each.
 */
export function timeAgainstFloor(runs: number, floor: () => unknown, ours: () => unknown, warmup = 1): { floorMs: number; ms: number } {
  for (let i = 0; i < warmup; i++) {
    floor();
    ours();
  }
  const floors: number[] = [];
  const mine: number[] = [];
  for (let i = 0; i < runs; i++) {
    let start = performance.now();
    floor();
    floors.push(performance.now() - start);
    start = performance.now();
    ours();
    mine.push(performance.now() - start);
  }
  return { floorMs: median(floors), ms: median(mine) };
}

/** One printed bench row: a figure beside its floor as a ratio, and its target. */
export interface Row {
  figure: string;
  ms: number;
  floorMs: number | null;
  ratio: number | null;
  target: string;
  met: boolean;
}
