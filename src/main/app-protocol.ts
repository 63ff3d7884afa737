import { join, normalize, sep } from 'node:path';
import { readFileBytes } from '../core/files/read';
import { CONTENT_SECURITY_POLICY } from '../shared/security';
import { APP_HOST, APP_SCHEME } from './app-origin';
import { assetContentType } from '../shared/asset-types';

/**
 * The `arbor://app/` scheme: the built renderer's files, from its folder only, each with the CSP
 * as a header (and the page repeats it in a meta tag). Registered privileged before the app is
 * ready — standard (so it has an origin and relative URLs, and the page's #hash state works as on
 * any page), secure (a secure context), fetch and code cache — and handled once it is (index.ts).
 *
 * No `electron` import: index.ts hands the request in, and the tests call it with a plain Request.
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

/** The renderer's built files are a few MB; nothing bigger belongs to it. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** The file a request names inside `rendererDir`, or null (another host, a path that leaves the folder). */
export function appFileFor(rendererDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
  } catch {
    return null;
  }
  if (relative.includes('\0')) return null;
  const root = normalize(rendererDir);
  const full = normalize(join(root, relative));
  return full.startsWith(root.endsWith(sep) ? root : root + sep) ? full : null;
}

export function appResponse(rendererDir: string, request: { url: string; method?: string }): Response {
  if (request.method && request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed', { status: 405 });
  const file = appFileFor(rendererDir, request.url);
  if (!file) return new Response('Not found', { status: 404 });
  let body: Buffer;
  try {
    body = readFileBytes(file, { limit: MAX_FILE_BYTES, what: 'app file' });
  } catch {
    return new Response('Not found', { status: 404 });
  }
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: {
      'content-type': assetContentType(file),
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    },
  });
}
