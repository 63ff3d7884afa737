import type { ApiErrorShape } from './dto';

/** An error every transport carries to the renderer as `{code, message}`. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorShape['code'],
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toJSON(): ApiErrorShape {
    return { code: this.code, message: this.message };
  }
}

/** What a user reads when a store stays locked past the short wait (the UI retries on its own). */
export const BUSY_MESSAGE = 'the store is locked by another program; retrying';

/** SQLite's lock errors: another process holds the store (a backend's write transaction). */
const SQLITE_LOCK_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_LOCKED']);

export function toApiError(error: unknown): ApiErrorShape {
  if (error instanceof ApiError) return error.toJSON();
  const sqliteCode = (error as { code?: unknown } | null)?.code;
  if ((typeof sqliteCode === 'string' && SQLITE_LOCK_CODES.has(sqliteCode)) || (error instanceof Error && /database is locked/.test(error.message))) return { code: 'busy', message: BUSY_MESSAGE };
  if (error instanceof Error && error.name === 'UnknownStoreError') return { code: 'unknown-store', message: error.message };
  return { code: 'failed', message: error instanceof Error ? error.message : String(error) };
}
