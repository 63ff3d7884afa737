import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiHandlers } from '../../shared/contract';
import { CONTENT_SECURITY_POLICY } from '../../shared/security';
import { AssetCookie, sameSecret } from './asset-cookie';
import { serveDownload, type DownloadShelf } from './downloads';
import { handleApiCall, sendJson } from './http-api';
import { sendStatic } from './static-files';

/**
 * Browser mode: the built renderer and the API on 127.0.0.1 only, for people whose stores sit on a
 * server they reach through an SSH tunnel. Every API call needs the per-run token in a header
 * (which a cross-site page cannot set); the first page load carries it in the URL and gets back a
 * strict same-site cookie of another secret that opens only the page's files and downloads
 * (asset-cookie.ts says why it is not the token). The Host header must be a loopback name, so a
 * DNS-rebinding page cannot talk to it.
 */
export interface ArborServerOptions {
  handlers: ApiHandlers;
  /** Finished exports waiting as one-time downloads (GET /download/<id>). */
  downloads?: DownloadShelf;
  rendererDir: string;
  token: string;
  port: number;
}

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
  const cookie = new AssetCookie();
  const server = createServer((req, res) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    handle(options, cookie, (server.address() as AddressInfo).port, req, res).catch((error: unknown) => {
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

async function handle(options: ArborServerOptions, cookie: AssetCookie, port: number, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '');
  if (!LOOPBACK_HOSTS.has(host)) return sendJson(res, 403, { error: { code: 'failed', message: 'Arbor answers only to loopback host names.' } });
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');

  if (url.pathname.startsWith('/api/')) {
    if (req.method !== 'POST') return sendJson(res, 405, { error: { code: 'invalid-arguments', message: 'API calls are POST requests.' } });
    if (!sameSecret(req.headers['x-arbor-token'], options.token)) return unauthorized(res);
    return handleApiCall(options.handlers, url.pathname.slice('/api/'.length), req, res);
  }

  if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: { code: 'invalid-arguments', message: 'Method not allowed.' } });
  const queryToken = sameSecret(url.searchParams.get('token') ?? undefined, options.token);
  if (!queryToken && !cookie.matches(req, port)) return unauthorized(res);
  if (url.pathname.startsWith('/download/')) return serveDownload(options.downloads, url.pathname.slice('/download/'.length), req, res);
  if (queryToken) res.setHeader('set-cookie', cookie.setHeader(port));
  if (!sendStatic(options.rendererDir, url.pathname, res)) sendJson(res, 404, { error: { code: 'not-found', message: `No such file: ${url.pathname}` } });
}

function unauthorized(res: ServerResponse): void {
  sendJson(res, 401, { error: { code: 'failed', message: 'Missing or wrong token: open the URL `arbor serve` printed.' } });
}
