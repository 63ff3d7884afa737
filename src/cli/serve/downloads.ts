import type { IncomingMessage, ServerResponse } from 'node:http';
import { statSync } from 'node:fs';
import { openPlainReadStream } from '../../core/files/read';
import { removeQuietly } from '../../core/service/transfer-scratch';
import { sendJson } from './http-api';

/** A finished browser-mode export waiting on the server, by its (random, one-time) id. */
export interface DownloadShelf {
  /** Uses the download up: a GET. */
  take(id: string): { path: string; fileName: string } | undefined;
  /** Looks without using it up: a HEAD (a link checker or a prefetch must not spend the download). */
  peek(id: string): { path: string; fileName: string } | undefined;
}

/**
 * GET /download/<id> streams the file once as an attachment, then removes it; HEAD answers the
 * same headers and leaves it waiting. The caller has checked the assets cookie.
 */
export function serveDownload(shelf: DownloadShelf | undefined, id: string, req: IncomingMessage, res: ServerResponse): void {
  const head = req.method === 'HEAD';
  const download = head ? shelf?.peek(id) : shelf?.take(id);
  if (!download) return sendJson(res, 404, { error: { code: 'not-found', message: 'No such download (each is served once).' } });
  let size: number;
  try {
    size = statSync(download.path).size;
  } catch {
    return sendJson(res, 404, { error: { code: 'not-found', message: 'The export file is gone; export again.' } });
  }
  const safe = download.fileName.replace(/[^\w.-]+/g, '_');
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': size,
    'content-disposition': `attachment; filename="${safe}"`,
    'cache-control': 'no-store',
  });
  if (head) {
    res.end();
    return;
  }
  const stream = openPlainReadStream(download.path);
  // Served, or the transfer broke off: either way the one chance was this request.
  const remove = () => removeQuietly(download.path);
  stream.once('close', remove);
  res.once('close', () => stream.destroy());
  stream.pipe(res);
}
