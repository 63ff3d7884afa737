/**
 * How long Arbor waits for another process's lock before giving up with "locked, nothing changed":
 * as long as the readers' busy_timeout by default. ARBOR_LOCK_WAIT_MS changes it (the tests shorten it).
 */
export function lockWaitMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.ARBOR_LOCK_WAIT_MS);
  return Number.isFinite(value) && value >= 0 ? value : 5000;
}
