import { METHOD_NAMES, type ArborApi, type MethodName } from '../../../shared/contract';
import type { ApiErrorShape } from '../../../shared/dto';

/**
 * The renderer's only way to the stores. In Electron the preload bridge (`window.arbor`) carries
 * calls over IPC; in a browser (`arbor serve`) the same calls go over HTTP with the per-run token.
 */

declare global {
  interface Window {
    arbor?: ArborApi;
  }
}

export class ApiCallError extends Error {
  constructor(readonly code: ApiErrorShape['code'], message: string) {
    super(message);
    this.name = 'ApiCallError';
  }
}

const TOKEN_KEY = 'arbor-token';

/** Takes the token from the URL once, keeps it for this tab, and removes it from the address bar. */
function httpToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function httpApi(): ArborApi {
  const token = httpToken();
  const api = {} as Record<MethodName, (args: unknown) => Promise<unknown>>;
  for (const method of METHOD_NAMES) {
    api[method] = async (args: unknown) => {
      const response = await fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-arbor-token': token },
        body: JSON.stringify(args ?? {}),
      });
      const body = (await response.json().catch(() => null)) as { result?: unknown; error?: ApiErrorShape } | null;
      if (!response.ok || !body || body.error) {
        const error = body?.error ?? { code: 'failed', message: `${method}: HTTP ${response.status}` };
        throw new ApiCallError(error.code, error.message);
      }
      return body.result;
    };
  }
  return api as unknown as ArborApi;
}

/** Electron's IPC rejects with a plain Error whose message carries the JSON of the ApiError. */
function ipcApi(bridge: ArborApi): ArborApi {
  const api = {} as Record<MethodName, (args: unknown) => Promise<unknown>>;
  for (const method of METHOD_NAMES) {
    const call = bridge[method] as (args: unknown) => Promise<unknown>;
    api[method] = async (args: unknown) => {
      try {
        return await call(args ?? {});
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        const json = text.slice(text.indexOf('{'));
        try {
          const parsed = JSON.parse(json) as ApiErrorShape;
          throw new ApiCallError(parsed.code, parsed.message);
        } catch (inner) {
          if (inner instanceof ApiCallError) throw inner;
          throw new ApiCallError('failed', text);
        }
      }
    };
  }
  return api as unknown as ArborApi;
}

export const api: ArborApi = window.arbor ? ipcApi(window.arbor) : httpApi();
