/** Errors whose message is meant for the user as it is; the CLI prints them as one `arbor:` line. */
export class CleanupError extends Error {
  override name = 'CleanupError';
}

/** The store changed between the preview and the write in a way the write cannot honour; nothing was changed. */
export class ConcurrentChangeError extends CleanupError {
  override name = 'ConcurrentChangeError';
}

export { ReadOnlyStoreError, StoreLockedError } from '../safety/errors';
