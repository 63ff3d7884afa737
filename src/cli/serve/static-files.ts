import { statSync } from 'node:fs';
import { openPlainReadStream } from '../../core/files/read';
import { extname, join, normalize, sep } from 'node:path';
import type { ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** Serves a file of the built renderer; paths that leave its folder are refused. */
export function sendStatic(root: string, urlPath: string, res: ServerResponse): boolean {
  const relative = decodeURIComponent(urlPath === '/' ? '/index.html' : urlPath);
  const full = normalize(join(root, relative));
  if (full !== root && !full.startsWith(root.endsWith(sep) ? root : root + sep)) return false;
  let size: number;
  try {
    const st = statSync(full);
    if (!st.isFile()) return false;
    size = st.size;
  } catch {
    return false;
  }
  res.writeHead(200, {
    'content-type': TYPES[extname(full)] ?? 'application/octet-stream',
    'content-length': size,
    'cache-control': extname(full) === '.html' ? 'no-store' : 'private, max-age=3600',
  });
  openPlainReadStream(full).pipe(res);
  return true;
}
