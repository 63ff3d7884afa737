/**
 * The content type of each kind of file in the built renderer, for both hosts that serve it:
 * `arbor serve` (cli/serve/static-files.ts) and Electron's `arbor://app` (main/app-protocol.ts).
 * Anything else is sent as bytes.
 */
const TYPES: Readonly<Record<string, string>> = {
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

/** By the file name's extension (what follows its last dot, after its last slash). */
export function assetContentType(fileName: string): string {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return (dot > 0 ? TYPES[base.slice(dot).toLowerCase()] : undefined) ?? 'application/octet-stream';
}
