import type { MethodName } from '../../../shared/contract';
import type { ApiErrorShape, AppInfo, SourceInfo } from '../../../shared/dto';
import type { StoreWarning } from '../../model/types';

/**
 * The messages between the host's worker pool (pool.ts, on the thread that answers calls) and the
 * service workers (service-worker.ts). A worker runs one ArborService holding the sources routed to
 * it; the pool sends it one call at a time from that worker's queue, so a call that waits on a
 * locked store holds up only the calls on the same source.
 */

/** What a worker is started with (structured-clone data: no functions cross threads). */
export interface WorkerSetup {
  /** Tags the ids the worker's service hands out, so ids of different workers never collide. */
  tag: string;
  info: AppInfo;
  trashDir?: string;
  dataDir?: string;
  transferDir?: string;
  /** Column mappings given on the command line, by full path. */
  mappings: Array<[string, unknown]>;
  /** Electron: the better-sqlite3 build for Electron's ABI. */
  nativeBinding?: string;
  /** How long a read waits for another program's lock before it answers `busy`. */
  readBusyTimeoutMs: number;
  /** The watcher's poll interval; 0 turns it off. */
  watchIntervalMs: number;
}

export type ToWorker =
  | {
      kind: 'call';
      id: number;
      method: MethodName;
      args: unknown;
      /** Paths of sources on other workers that this call names (an import between sources). */
      foreign?: Record<string, string>;
      /** sources.open: paths already open elsewhere, by path → source id (not opened twice). */
      elsewhere?: Array<[string, string]>;
    }
  | { kind: 'adopt'; id: number; sourceId: string; path: string; format: string; warnings: StoreWarning[] }
  | { kind: 'release'; id: number; sourceId: string }
  /** A source's facts now (sources.list: counts and warnings change as a store is read and written). */
  | { kind: 'describe'; id: number; sourceId: string }
  /** Before the worker is stopped: close the sources, remove this run's transfer files. */
  | { kind: 'shutdown'; id: number };

export type FromWorker =
  | { kind: 'ready' }
  | {
      kind: 'reply';
      id: number;
      ok: true;
      value: unknown;
      /** export.run in a browser: the file waiting as a one-time download, kept by the pool. */
      download?: { id: string; path: string; fileName: string };
    }
  | { kind: 'reply'; id: number; ok: false; error: ApiErrorShape }
  /** The worker's set of sources changed (a write opened a new store, a source closed). */
  | { kind: 'sources'; entries: Array<{ id: string; info: SourceInfo | null }> }
  /** The watcher saw a source's store change; `info` is its facts now (null when it could not be read, e.g. locked). */
  | { kind: 'changed'; sourceId: string; info: SourceInfo | null };
