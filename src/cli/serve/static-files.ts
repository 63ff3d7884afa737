import { statSync } from 'node:fs';
import { openPlainReadStream } from '../../core/files/read';
import { extname, join, normalize, sep } from 'node:path';
import type { ServerResponse } from 'node:http';
import { assetContentType } from '../../shared/asset-types';

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
    'content-type': assetContentType(full),
    'content-length': size,
    'cache-control': extname(full) === '.html' ? 'no-store' : 'private, max-age=3600',
  });
  openPlainReadStream(full).pipe(res);
  return true;
}
