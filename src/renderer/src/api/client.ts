import { METHOD_NAMES, type ArborApi, type ArgsOf, type MethodName, type ResultOf } from '../../../shared/contract';
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

type Transport = Record<MethodName, (args: unknown, signal?: AbortSignal) => Promise<unknown>>;

function httpApi(): Transport {
  const token = httpToken();
  const api = {} as Transport;
  for (const method of METHOD_NAMES) {
    api[method] = async (args: unknown, signal?: AbortSignal) => {
      // An aborted fetch closes the request; the server then drops or discards the call.
      const response = await fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-arbor-token': token },
        body: JSON.stringify(args ?? {}),
        ...(signal ? { signal } : {}),
      }).catch((error: unknown) => {
        if (signal?.aborted) throw cancelledError();
        throw error;
      });
      const body = (await response.json().catch(() => null)) as { result?: unknown; error?: ApiErrorShape } | null;
      if (!response.ok || !body || body.error) {
        const error = body?.error ?? { code: 'failed', message: `${method}: HTTP ${response.status}` };
        throw new ApiCallError(error.code, error.message);
      }
      return body.result;
    };
  }
  return api;
}

const cancelledError = () => new ApiCallError('cancelled', 'The call was cancelled.');
let nextCallId = 1;

/** Electron's IPC rejects with a plain Error whose message carries the JSON of the ApiError. */
function ipcApi(bridge: ArborApi): Transport {
  const api = {} as Transport;
  for (const method of METHOD_NAMES) {
    const call = bridge[method] as (args: unknown, callId?: string) => Promise<unknown>;
    api[method] = async (args: unknown, signal?: AbortSignal) => {
      try {
        if (!signal) return await call(args ?? {});
        if (signal.aborted) throw cancelledError();
        // The main process cancels by id: a queued call is dropped, a running one's answer discarded.
        const callId = `c${nextCallId++}`;
        const cancelled = new Promise<never>((_, reject) =>
          signal.addEventListener('abort', () => {
            window.arborHost?.cancelCall?.(callId);
            reject(cancelledError());
          }, { once: true }),
        );
        return await Promise.race([call(args ?? {}, callId), cancelled]);
      } catch (error) {
        if (error instanceof ApiCallError) throw error;
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
  return api;
}

const transport: Transport = window.arbor ? ipcApi(window.arbor) : httpApi();

/**
 * Reads that meet a store locked by another program come back `busy` after the worker's short wait;
 * they are retried with backoff (up to about a minute) while the app shows that it is waiting for
 * the store. Writes are not retried: a cleanup or import answers for itself.
 */
const RETRIED_WHEN_BUSY = new Set<MethodName>([
  'sources.list',
  'sources.reload',
  'sessions.list',
  'sessions.groups',
  'session.open',
  'session.activate',
  'session.graph',
  'session.segment',
  'session.lane',
  'message.details',
  'message.value',
  'cleanup.operations',
  'cleanup.plan',
  'import.preview',
]);
const BACKOFF_MS = [150, 300, 600, 1000, 1500, 2500];
const GIVE_UP_AFTER_MS = 60_000;

let waiting = 0;
const waitingListeners = new Set<(waiting: number) => void>();

/** How many calls wait for a locked store right now (the UI shows "waiting for the store…" while > 0). */
export function onStoreWaiting(listener: (waiting: number) => void): () => void {
  waitingListeners.add(listener);
  return () => waitingListeners.delete(listener);
}

function setWaiting(delta: number): void {
  waiting += delta;
  for (const listener of waitingListeners) listener(waiting);
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(cancelledError());
    }, { once: true });
  });

async function callWithRetry(method: MethodName, args: unknown, signal?: AbortSignal): Promise<unknown> {
  const started = Date.now();
  let marked = false;
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        return await transport[method](args, signal);
      } catch (error) {
        const busy = error instanceof ApiCallError && error.code === 'busy';
        if (!busy || !RETRIED_WHEN_BUSY.has(method) || Date.now() - started > GIVE_UP_AFTER_MS) throw error;
        if (!marked) setWaiting(+1);
        marked = true;
        await sleep(BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)], signal);
      }
    }
  } finally {
    if (marked) setWaiting(-1);
  }
}

export const api: ArborApi = Object.fromEntries(METHOD_NAMES.map((m) => [m, (args: unknown) => callWithRetry(m, args)])) as unknown as ArborApi;

/** A call the renderer may give up on: aborting `signal` cancels it (see ApiHandlers' signal). */
export function cancellableCall<M extends MethodName>(method: M, args: ArgsOf<M>, signal: AbortSignal): Promise<ResultOf<M>> {
  return callWithRetry(method, args, signal) as Promise<ResultOf<M>>;
}

const superseding = new Map<string, AbortController>();

/** A signal for the newest call of a kind (a session open, a branch switch): the call before it is cancelled. */
export function supersede(kind: string): AbortSignal {
  superseding.get(kind)?.abort();
  const controller = new AbortController();
  superseding.set(kind, controller);
  return controller.signal;
}

export function isCancelled(error: unknown): boolean {
  return error instanceof ApiCallError && error.code === 'cancelled';
}
