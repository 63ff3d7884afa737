import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiHandlers } from '../../shared/contract';
import { CONTENT_SECURITY_POLICY } from '../../shared/security';
import { handleApiCall, sendJson } from './http-api';
import { sendDownload, sendStatic } from './static-files';

/**
 * Browser mode: the built renderer and the API on 127.0.0.1 only, for people whose stores sit on a
 * server they reach through an SSH tunnel. Every request needs the per-run token (the first page
 * load carries it in the URL and gets it back as a strict same-site cookie; API calls send it in a
 * header, which a cross-site page cannot set), and the Host header must be a loopback name, so a
 * DNS-rebinding page cannot talk to it.
 */
export interface ArborServerOptions {
  handlers: ApiHandlers;
  /** A finished export waiting as a one-time download (GET /download/<id>). */
  takeDownload?: (id: string) => { path: string; fileName: string } | undefined;
  rendererDir: string;
  token: string;
  port: number;
}

const COOKIE = 'arbor_token';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export function startArborServer(options: ArborServerOptions): Promise<{ server: Server; url: string; port: number }> {
  const server = createServer((req, res) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    handle(options, req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'failed', message: (error as Error).message } });
      else res.destroy();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({ server, port, url: `http://127.0.0.1:${port}/?token=${options.token}` });
    });
  });
}

async function handle(options: ArborServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '');
  if (!LOOPBACK_HOSTS.has(host)) return sendJson(res, 403, { error: { code: 'failed', message: 'Arbor answers only to loopback host names.' } });
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');

  if (url.pathname.startsWith('/api/')) {
    if (req.method !== 'POST') return sendJson(res, 405, { error: { code: 'invalid-arguments', message: 'API calls are POST requests.' } });
    if (!sameToken(req.headers['x-arbor-token'], options.token)) return unauthorized(res);
    return handleApiCall(options.handlers, url.pathname.slice('/api/'.length), req, res);
  }

  if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: { code: 'invalid-arguments', message: 'Method not allowed.' } });
  const queryToken = url.searchParams.get('token');
  const authorised = sameToken(queryToken ?? undefined, options.token) || sameToken(cookieToken(req), options.token);
  if (!authorised) return unauthorized(res);
  if (url.pathname.startsWith('/download/')) {
    const download = authorised ? options.takeDownload?.(url.pathname.slice('/download/'.length)) : undefined;
    if (!download) return sendJson(res, 404, { error: { code: 'not-found', message: 'No such download (each is served once).' } });
    return sendDownload(download, res);
  }
  if (queryToken) res.setHeader('set-cookie', `${COOKIE}=${options.token}; HttpOnly; SameSite=Strict; Path=/`);
  if (!sendStatic(options.rendererDir, url.pathname, res)) sendJson(res, 404, { error: { code: 'not-found', message: `No such file: ${url.pathname}` } });
}

function unauthorized(res: ServerResponse): void {
  sendJson(res, 401, { error: { code: 'failed', message: 'Missing or wrong token: open the URL `arbor serve` printed.' } });
}

function cookieToken(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE) return rest.join('=');
  }
  return undefined;
}

function sameToken(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
