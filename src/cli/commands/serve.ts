import { plural } from '../../core/model/plural';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkerPool } from '../../core/service/workers/pool';
import { removeStaleTransferFolders } from '../../core/service/transfer-scratch';
import { startArborServer } from '../serve/http-server';
import { CliError, UsageError } from '../errors';
import { demoStoresDir } from '../demo';
import { mappingEntries } from '../mapping-option';
import { ARBOR_VERSION } from '../version';

/** `arbor serve PATH… [--port N]`: the app in a browser, on 127.0.0.1 only. */
export async function serveCommand(paths: string[], options: { port?: string; mapping?: string }, out: (text: string) => void): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const rendererDir = join(here, '..', 'renderer');
  const port = options.port === undefined ? 4700 : Number(options.port);
  if (!/^\d+$/.test(options.port ?? '4700') || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${options.port}"`);
  if (!existsSync(join(rendererDir, 'index.html'))) throw new CliError('the renderer is not built; run `npm run build` first');

  // Exports and uploads a crashed run left in Arbor's temp folder go now (a clean stop removes its own).
  removeStaleTransferFolders();
  const version = ARBOR_VERSION;
  // Store work runs in worker threads, one per open source (core/service/workers); this thread only answers.
  const service = new WorkerPool({
    workerEntry: serviceWorkerEntry(here),
    host: { info: { version, host: 'browser', canPickPaths: false } },
    mappings: mappingEntries(paths, options.mapping),
  });
  const opened = await service.open(paths.length ? paths : [demoStoresDir()]);
  for (const w of opened.warnings) process.stderr.write(`arbor: ${w.message}\n`);

  const token = randomBytes(24).toString('base64url');
  const { server, url } = await startArborServer({ handlers: service.handlers, downloads: { take: (id) => service.takeDownload(id), peek: (id) => service.peekDownload(id) }, rendererDir, token, port });
  out(`Arbor is serving ${plural(opened.opened.length, 'source')} on 127.0.0.1 only.`);
  out(`Open: ${url}`);
  out('Through SSH: ssh -L PORT:127.0.0.1:PORT HOST, then open the same URL locally. Ctrl+C stops.');
  await new Promise<void>((resolve) => {
    const stop = () => {
      server.close();
      // Also removes this run's transfer files: waiting downloads and uploads.
      // Closing the service answers the renderer's held sources.changes call; then no socket is left open.
      void service.close().then(() => {
        server.closeAllConnections();
        resolve();
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** The worker built beside the CLI (vite.cli.config.ts), or its source when the CLI runs from TypeScript (tsx, tests). */
function serviceWorkerEntry(here: string): string {
  const built = join(here, 'service-worker.js');
  return existsSync(built) ? built : join(here, '..', '..', 'core', 'service', 'workers', 'service-worker.ts');
}
