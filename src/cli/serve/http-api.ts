import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiHandlers } from '../../shared/contract';
import { dispatch } from '../../shared/dispatch';
import { toApiError } from '../../shared/errors';
import type { ApiErrorShape } from '../../shared/dto';

/** POST /api/<method> with a JSON body of arguments → `{result}` or `{error: {code, message}}`. */

const MAX_BODY_BYTES = 16 * 1024 * 1024;

const STATUS: Record<ApiErrorShape['code'], number> = {
  'invalid-arguments': 400,
  'not-found': 404,
  'unknown-store': 422,
  unsupported: 501,
  failed: 500,
  // Locked by another program: the client retries (Retry-After is implied by the UI's backoff).
  busy: 503,
  cancelled: 499,
};

export async function handleApiCall(handlers: ApiHandlers, method: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let args: unknown;
  try {
    const body = await readBody(req);
    args = body.length ? JSON.parse(body) : {};
  } catch (error) {
    return sendJson(res, 400, { error: { code: 'invalid-arguments', message: `The request body is not JSON: ${(error as Error).message}` } });
  }
  // A client that gave up (the renderer aborted a superseded call) closes the request: the worker
  // pool then drops the call if it has not started, or throws its answer away.
  const abort = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  try {
    const result = await dispatch(handlers, method, args, abort.signal);
    sendJson(res, 200, { result: result ?? null });
  } catch (error) {
    const shape = toApiError(error);
    sendJson(res, STATUS[shape.code], { error: shape });
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
