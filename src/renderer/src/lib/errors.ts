import { ApiCallError } from '../api/client';

/** One readable line for any failure, so the alert never shows "[object Object]". */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiCallError) return error.message;
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  return 'Something went wrong.';
}

export function isUnsupported(error: unknown): boolean {
  return error instanceof ApiCallError && error.code === 'unsupported';
}
