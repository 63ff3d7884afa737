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

export function toApiError(error: unknown): ApiErrorShape {
  if (error instanceof ApiError) return error.toJSON();
  if (error instanceof Error && error.name === 'UnknownStoreError') return { code: 'unknown-store', message: error.message };
  return { code: 'failed', message: error instanceof Error ? error.message : String(error) };
}
