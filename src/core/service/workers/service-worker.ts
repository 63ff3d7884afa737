import { parentPort, workerData } from 'node:worker_threads';
import type { MethodName } from '../../../shared/contract';
import type { SourceInfo } from '../../../shared/dto';
import { toApiError } from '../../../shared/errors';
import { setReadBusyTimeout, useSqliteNativeBinding } from '../../sqlite/open';
import { ArborService } from '../arbor-service';
import { setServiceIdTag } from '../context';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol';

/**
 * A service worker: one ArborService on its own thread, holding the sources the pool routed here.
 * better-sqlite3 is synchronous, so a call that waits on a lock blocks this thread only. Calls arrive
 * one at a time from the pool's queue for this worker (progress.get may come between, while a long
 * export awaits its writes).
 */
const setup = workerData as WorkerSetup;
const port = parentPort!;
const post = (message: FromWorker) => port.postMessage(message);

setServiceIdTag(setup.tag);
useSqliteNativeBinding(setup.nativeBinding);
setReadBusyTimeout(setup.readBusyTimeoutMs);

const mappings = new Map(setup.mappings);
const service = new ArborService(
  {
    info: setup.info,
    ...(setup.trashDir ? { trashDir: setup.trashDir } : {}),
    ...(setup.dataDir ? { dataDir: setup.dataDir } : {}),
    ...(setup.transferDir ? { transferDir: setup.transferDir } : {}),
    ...(setup.watchIntervalMs > 0 ? { watch: { intervalMs: setup.watchIntervalMs } } : {}),
    onSourcesChanged: () => post({ kind: 'sources', entries: service.openIds().map((id) => ({ id, info: infoOrNull(id) })) }),
    onSourceChanged: (sourceId) => post({ kind: 'changed', sourceId, info: infoOrNull(sourceId) }),
  },
  mappings.size ? { mappingFor: (path) => mappings.get(path) } : {},
);

function infoOrNull(id: string): SourceInfo | null {
  try {
    return service.describeSource(id);
  } catch {
    return null;
  }
}

async function run(message: ToWorker): Promise<unknown> {
  if (message.kind === 'adopt') return service.adopt(message.sourceId, message.path, message.format, message.warnings);
  if (message.kind === 'release') return service.release(message.sourceId);
  if (message.kind === 'shutdown') return service.closeAll();
  if (message.kind === 'describe') return service.describeSource(message.sourceId);
  service.foreignPaths = message.foreign ?? {};
  if (message.method === 'sources.open') {
    return service.open((message.args as { paths: string[] }).paths, new Map(message.elsewhere ?? []));
  }
  const handler = service.handlers[message.method as MethodName] as (args: unknown) => unknown;
  return handler(message.args);
}

port.on('message', (message: ToWorker) => {
  run(message).then(
    (value) => {
      let download: { id: string; path: string; fileName: string } | undefined;
      if (message.kind === 'call' && message.method === 'export.run') {
        const id = (value as { downloadId: string | null }).downloadId;
        const taken = id ? service.takeDownload(id) : undefined;
        if (id && taken) download = { id, ...taken };
      }
      post({ kind: 'reply', id: message.id, ok: true, value: value ?? null, ...(download ? { download } : {}) });
    },
    (error: unknown) => post({ kind: 'reply', id: message.id, ok: false, error: toApiError(error) }),
  );
});

post({ kind: 'ready' });
