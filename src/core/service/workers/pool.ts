import type { ApiHandlers, MethodName, ParsedArgsOf, ResultOf } from '../../../shared/contract';
import type { OpenResult, SourceInfo } from '../../../shared/dto';
import { ApiError } from '../../../shared/errors';
import type { HostHooks } from '../arbor-service';
import type { Download } from '../transfer-calls';
import { ChangeLog } from '../live/change-log';
import { removeQuietly } from '../transfer-scratch';
import { WATCH_INTERVAL_MS } from '../live/source-watcher';
import { Lane } from './lane';
import type { FromWorker, WorkerSetup } from './protocol';

/**
 * The service off the thread that answers calls: `arbor serve` and Electron's main process hand
 * `pool.handlers` to their transport instead of an in-process ArborService's. Every open source
 * lives on a worker of its own (up to MAX_SOURCE_WORKERS; past that, on the one with fewest), with
 * its own queue, so one slow or locked store never delays a call on another. Calls tied to no source
 * (layouts, locations, the trash, mapping dialogs) go to a general worker; sources.open goes to a
 * fresh worker, which keeps the first store it finds and hands the others to workers of their own.
 * Calls that need the host itself (native dialogs, app.info) and the bookkeeping calls
 * (sources.list, sources.changes) are answered here at once, from what the workers reported.
 */
export interface PoolOptions {
  /** The built worker file (out/…/service-worker.js), or its TypeScript source under vitest/tsx. */
  workerEntry: string;
  host: HostHooks;
  /** Column mappings given on the command line, by full path. */
  mappings?: Array<[string, unknown]>;
  nativeBinding?: string;
  readBusyTimeoutMs?: number;
  watchIntervalMs?: number;
}

export const MAX_SOURCE_WORKERS = 8;
/** A locked store answers `busy` after this wait (SQLite's busy_timeout on the readers). */
export const READ_BUSY_TIMEOUT_MS = 300;
/** How long sources.list waits for a worker's fresh facts of its source before using the last ones. */
const DESCRIBE_WAIT_MS = 100;

type Handler<M extends MethodName> = (args: ParsedArgsOf<M>, signal?: AbortSignal) => Promise<ResultOf<M>>;

export class WorkerPool {
  private readonly general: Lane;
  private readonly lanes = new Set<Lane>();
  private spare: Lane | null = null;
  private readonly route = new Map<string, Lane>();
  private readonly infos = new Map<string, SourceInfo>();
  /** Preview and operation ids, by the worker that made them. */
  private readonly owners = new Map<string, Lane>();
  private readonly downloads = new Map<string, Download>();
  private readonly changes = new ChangeLog();
  private nextTag = 1;

  constructor(private readonly options: PoolOptions) {
    // better-sqlite3 reads it from the real environment when the native module loads (sqlite/open.ts).
    process.env.SQLITE_USE_URI = '1';
    this.general = this.startLane();
    this.spare = this.startLane();
  }

  /** A finished browser-mode export, served once by the HTTP transport (which removes the file after). */
  takeDownload(id: string): Download | undefined {
    const download = this.downloads.get(id);
    this.downloads.delete(id);
    return download;
  }

  /** The same without using it up (HTTP HEAD). */
  peekDownload(id: string): Download | undefined {
    return this.downloads.get(id);
  }

  openPaths(): string[] {
    return [...this.infos.values()].map((i) => i.path);
  }

  /**
   * Stops every worker. Each closes its sources and removes its transfer files first (a worker busy
   * on a locked store gets a short while); downloads nobody fetched go with their files.
   */
  async close(): Promise<void> {
    this.changes.release();
    const shutdown = (lane: Lane) =>
      Promise.race([lane.submit({ kind: 'shutdown' }, { urgent: true }).catch(() => undefined), new Promise((r) => setTimeout(r, 2000))]);
    await Promise.all([...this.lanes].map((l) => shutdown(l)));
    await Promise.all([...this.lanes].map((l) => l.terminate()));
    this.lanes.clear();
    for (const download of this.downloads.values()) removeQuietly(download.path);
    this.downloads.clear();
  }

  /** Opens paths as sources (the host's start-up paths, a menu's Open, a drop). */
  async open(paths: string[]): Promise<OpenResult> {
    return this.handlers['sources.open']({ paths });
  }

  readonly handlers: ApiHandlers = {
    'app.info': () => this.options.host.info,
    'host.pickPaths': async ({ kind }) => {
      if (!this.options.host.pickPaths) throw new ApiError('unsupported', 'This host has no file dialog; type a path instead.');
      return this.options.host.pickPaths(kind);
    },
    'host.pickSavePath': async ({ suggestedName, purpose }) => {
      if (!this.options.host.pickSavePath) throw new ApiError('unsupported', 'This host has no save dialog; the export is offered as a download.');
      return this.options.host.pickSavePath(suggestedName, purpose);
    },
    'sources.list': () => this.freshInfos(),
    'sources.changes': ({ since, waitMs }, signal) => this.changes.wait(since, waitMs ?? 0, signal),
    'sources.open': (args, signal) => this.openOn(this.takeSpare(), 'sources.open', args, signal),
    'mapping.save': (args, signal) => {
      const open = [...this.infos.values()].find((i) => i.path === args.path);
      return open ? this.call(this.route.get(open.id)!, 'mapping.save', args, signal).then((r) => this.learnOpened(this.route.get(open.id)!, r)) : this.openOn(this.takeSpare(), 'mapping.save', args, signal);
    },
    'sources.close': async (args, signal) => {
      const lane = this.route.get(args.sourceId);
      if (!lane) return { closed: false };
      const result = await this.call(lane, 'sources.close', args, signal);
      if (result.closed) this.forget(args.sourceId);
      return result;
    },
    'sources.reload': async (args, signal) => this.learn(args.sourceId, await this.onSource('sources.reload', args, signal)),
    'sessions.list': this.bySource('sessions.list'),
    'sessions.groups': this.bySource('sessions.groups'),
    'session.open': this.bySource('session.open'),
    'session.activate': this.bySource('session.activate'),
    'session.graph': this.bySource('session.graph'),
    'session.segment': this.bySource('session.segment'),
    'session.lane': this.bySource('session.lane'),
    'session.path': this.bySource('session.path'),
    'session.find': this.bySource('session.find'),
    'search.query': (args, signal) => this.searchAll(args, signal),
    'search.status': async (args, signal) => {
      const answers = await Promise.all([...this.lanesOf(args.sourceIds)].map(([lane, ids]) => this.call(lane, 'search.status', { ...args, sourceIds: ids }, signal)));
      return answers.flat();
    },
    'message.details': this.bySource('message.details'),
    'message.value': this.bySource('message.value'),
    'cleanup.operations': this.bySource('cleanup.operations'),
    'cleanup.plan': async (args, signal) => {
      const lane = this.laneOf(args.sourceId);
      const result = await this.call(lane, 'cleanup.plan', args, signal);
      this.owners.set(result.planId, lane);
      return result;
    },
    'cleanup.apply': (args, signal) => this.byOwner('cleanup.apply', args.planId, args, signal),
    'export.run': (args, signal) => this.withOperation(this.laneOf(args.sourceId), 'export.run', args, signal),
    'import.preview': async (args, signal) => {
      const target = 'sourceId' in args.target ? args.target.sourceId : null;
      const input = 'sourceId' in args.input ? args.input.sourceId : null;
      const lane = (target && this.route.get(target)) || (input && this.route.get(input)) || this.general;
      const foreign: Record<string, string> = {};
      for (const id of [target, input]) {
        const info = id ? this.infos.get(id) : undefined;
        if (id && info && this.route.get(id) !== lane) foreign[id] = info.path;
      }
      const result = await this.call(lane, 'import.preview', args, signal, { foreign });
      this.owners.set(result.previewId, lane);
      return result;
    },
    'import.apply': (args, signal) => this.byOwner('import.apply', args.previewId, args, signal),
    'progress.get': async (args) => {
      const lane = this.owners.get(`op:${args.operationId}`);
      if (!lane) return null;
      return this.call(lane, 'progress.get', args, undefined, {}, true);
    },
    'layouts.list': this.onGeneral('layouts.list'),
    'locations.list': this.onGeneral('locations.list'),
    'trash.list': this.onGeneral('trash.list'),
    'trash.restore': this.onGeneral('trash.restore'),
    'trash.purge': this.onGeneral('trash.purge'),
    'import.stage': this.onGeneral('import.stage'),
    'mapping.inspect': this.onGeneral('mapping.inspect'),
    'mapping.preview': this.onGeneral('mapping.preview'),
  };

  /**
   * Every source's facts, asked of its worker past the queue; a worker busy on a locked store does not
   * hold the list up: after DESCRIBE_WAIT_MS its source is listed as it was last seen.
   */
  private async freshInfos(): Promise<SourceInfo[]> {
    const ids = [...this.infos.keys()];
    await Promise.all(
      ids.map(async (id) => {
        const lane = this.route.get(id);
        if (!lane) return;
        const reply = await Promise.race([lane.submit({ kind: 'describe', sourceId: id }, { urgent: true }).catch(() => null), new Promise<null>((r) => setTimeout(() => r(null), DESCRIBE_WAIT_MS))]);
        if (reply?.ok && this.infos.has(id)) this.infos.set(id, reply.value as SourceInfo);
      }),
    );
    return [...this.infos.values()];
  }

  private startLane(): Lane {
    const setup: WorkerSetup = {
      tag: `${this.nextTag++}-`,
      info: this.options.host.info,
      ...(this.options.host.trashDir ? { trashDir: this.options.host.trashDir } : {}),
      ...(this.options.host.dataDir ? { dataDir: this.options.host.dataDir } : {}),
      ...(this.options.host.transferDir ? { transferDir: this.options.host.transferDir } : {}),
      mappings: this.options.mappings ?? [],
      ...(this.options.nativeBinding ? { nativeBinding: this.options.nativeBinding } : {}),
      readBusyTimeoutMs: this.options.readBusyTimeoutMs ?? READ_BUSY_TIMEOUT_MS,
      watchIntervalMs: this.options.watchIntervalMs ?? WATCH_INTERVAL_MS,
    };
    const lane = new Lane(this.options.workerEntry, setup, (l, m) => this.onEvent(l, m), (l) => this.onExit(l));
    this.lanes.add(lane);
    return lane;
  }

  /** A worker for sources not yet open: the warm spare (a new one is started for next time), or the least loaded when at the cap. */
  private takeSpare(): Lane {
    const sourceLanes = [...this.lanes].filter((l) => l !== this.general && l !== this.spare);
    if (sourceLanes.length >= MAX_SOURCE_WORKERS) return sourceLanes.sort((a, b) => a.sources.size - b.sources.size)[0];
    const lane = this.spare ?? this.startLane();
    this.spare = sourceLanes.length + 1 < MAX_SOURCE_WORKERS ? this.startLane() : null;
    return lane;
  }

  private async call<M extends MethodName>(lane: Lane, method: M, args: ParsedArgsOf<M>, signal?: AbortSignal, extra: { foreign?: Record<string, string>; elsewhere?: Array<[string, string]> } = {}, urgent = false): Promise<ResultOf<M>> {
    const reply = await lane.submit({ kind: 'call', method, args, ...extra }, { ...(signal ? { signal } : {}), urgent });
    if (!reply.ok) throw new ApiError(reply.error.code, reply.error.message);
    if (reply.download) this.downloads.set(reply.download.id, { path: reply.download.path, fileName: reply.download.fileName });
    return reply.value as ResultOf<M>;
  }

  private laneOf(sourceId: string): Lane {
    // An unknown id goes to the general worker, which answers not-found in the service's words.
    return this.route.get(sourceId) ?? this.general;
  }

  private bySource<M extends MethodName>(method: M): Handler<M> {
    return (args, signal) => this.call(this.laneOf((args as { sourceId: string }).sourceId), method, args, signal);
  }

  private onSource<M extends MethodName>(method: M, args: ParsedArgsOf<M>, signal?: AbortSignal): Promise<ResultOf<M>> {
    return this.call(this.laneOf((args as { sourceId: string }).sourceId), method, args, signal);
  }

  private onGeneral<M extends MethodName>(method: M): Handler<M> {
    return (args, signal) => this.call(this.general, method, args, signal);
  }

  private byOwner<M extends 'cleanup.apply' | 'import.apply'>(method: M, ownerId: string, args: ParsedArgsOf<M>, signal?: AbortSignal): Promise<ResultOf<M>> {
    const lane = this.owners.get(ownerId) ?? this.general;
    this.owners.delete(ownerId);
    return this.withOperation(lane, method, args, signal);
  }

  /** Long calls report progress under the renderer's operation id; progress.get is routed to the same worker. */
  /** The open sources asked for (all when none named), grouped by the worker that holds them. */
  private lanesOf(sourceIds: readonly string[] | undefined): Map<Lane, string[]> {
    const byLane = new Map<Lane, string[]>();
    for (const id of sourceIds ?? [...this.infos.keys()]) {
      const lane = this.laneOf(id);
      byLane.set(lane, [...(byLane.get(lane) ?? []), id]);
    }
    return byLane;
  }

  /**
   * A search over several sources asks each worker for its own (their indexes live there) at once
   * and merges the answers as one service would: newest hits first, totals summed. Progress is
   * reported only when one worker does all of it.
   */
  private async searchAll(args: ParsedArgsOf<'search.query'>, signal?: AbortSignal): Promise<ResultOf<'search.query'>> {
    const byLane = this.lanesOf(args.sourceIds);
    if (byLane.size === 0) return { total: 0, exact: true, hits: [], warnings: [] };
    if (byLane.size === 1) {
      const [[lane, ids]] = [...byLane];
      return this.withOperation(lane, 'search.query', { ...args, sourceIds: ids }, signal);
    }
    const answers = await Promise.all([...byLane].map(([lane, ids]) => this.call(lane, 'search.query', { ...args, sourceIds: ids, operationId: undefined }, signal)));
    const hits = answers.flatMap((a) => a.hits).sort((a, b) => (b.timestamp ?? -Infinity) - (a.timestamp ?? -Infinity));
    return {
      total: answers.reduce((n, a) => n + a.total, 0),
      exact: answers.every((a) => a.exact),
      hits: hits.slice(0, args.limit ?? 100),
      warnings: answers.flatMap((a) => a.warnings),
    };
  }

  private async withOperation<M extends 'cleanup.apply' | 'import.apply' | 'export.run' | 'search.query'>(lane: Lane, method: M, args: ParsedArgsOf<M>, signal?: AbortSignal): Promise<ResultOf<M>> {
    const operationId = (args as { operationId?: string }).operationId;
    if (operationId) this.owners.set(`op:${operationId}`, lane);
    try {
      return await this.call(lane, method, args, signal);
    } finally {
      if (operationId) setTimeout(() => this.owners.delete(`op:${operationId}`), 10_000).unref?.();
    }
  }

  /**
   * sources.open / mapping.save on a fresh worker: it keeps the first store it opened; every other
   * store found (a folder of stores) moves to a worker of its own under the same id.
   */
  private async openOn(lane: Lane, method: 'sources.open' | 'mapping.save', args: ParsedArgsOf<'sources.open'> | ParsedArgsOf<'mapping.save'>, signal?: AbortSignal): Promise<OpenResult> {
    const elsewhere: Array<[string, string]> = [...this.infos.values()].map((i) => [i.path, i.id]);
    const result = (await this.call(lane, method, args as never, signal, { elsewhere })) as OpenResult & { openElsewhere?: string[] };
    const opened = [...result.opened];
    const [, ...others] = opened;
    for (const info of opened) this.learn(info.id, info, lane);
    await Promise.all(
      others.map(async (info) => {
        const home = this.takeSpare();
        if (home === lane) return;
        await lane.submit({ kind: 'release', sourceId: info.id });
        const reply = await home.submit({ kind: 'adopt', sourceId: info.id, path: info.path, format: info.format, warnings: info.warnings });
        if (!reply.ok) {
          this.forget(info.id);
          throw new ApiError(reply.error.code, reply.error.message);
        }
        this.learn(info.id, reply.value as SourceInfo, home);
      }),
    );
    if (lane.sources.size === 0 && lane !== this.general) this.retire(lane);
    const already = (result.openElsewhere ?? []).flatMap((id) => (this.infos.has(id) ? [this.infos.get(id)!] : []));
    this.options.host.onSourcesChanged?.(this.openPaths());
    return { opened: [...already, ...opened.map((i) => this.infos.get(i.id) ?? i)], warnings: result.warnings };
  }

  private learnOpened(lane: Lane, result: OpenResult): OpenResult {
    for (const info of result.opened) this.learn(info.id, info, lane);
    return result;
  }

  private learn(sourceId: string, info: SourceInfo, lane?: Lane): SourceInfo {
    if (lane) {
      this.route.get(sourceId)?.sources.delete(sourceId);
      this.route.set(sourceId, lane);
      lane.sources.add(sourceId);
    }
    this.infos.set(sourceId, info);
    return info;
  }

  private forget(sourceId: string): void {
    const lane = this.route.get(sourceId);
    lane?.sources.delete(sourceId);
    this.route.delete(sourceId);
    this.infos.delete(sourceId);
    this.changes.forget(sourceId);
    if (lane && lane.sources.size === 0) this.retire(lane);
    this.options.host.onSourcesChanged?.(this.openPaths());
  }

  /**
   * A worker left with no source: kept as the spare if there is none, else stopped — once what it
   * is doing is done (its own sources.close answers first).
   */
  private retire(lane: Lane): void {
    if (lane === this.general || lane === this.spare) return;
    lane.whenIdle(() => {
      if (lane.sources.size > 0 || lane === this.spare || !this.lanes.has(lane)) return;
      if (!this.spare) {
        this.spare = lane;
        return;
      }
      this.lanes.delete(lane);
      void lane.terminate();
    });
  }

  private onEvent(lane: Lane, message: Exclude<FromWorker, { kind: 'reply' | 'ready' }>): void {
    if (message.kind === 'changed') {
      if (message.info) this.infos.set(message.sourceId, message.info);
      this.changes.record(message.sourceId);
      this.options.host.onSourceChanged?.(message.sourceId);
      return;
    }
    // The worker's set of sources: new ones (a write created a store) are routed to it, gone ones forgotten.
    const ids = new Set(message.entries.map((e) => e.id));
    for (const entry of message.entries) {
      if (this.route.get(entry.id) && this.route.get(entry.id) !== lane) continue;
      if (entry.info) this.learn(entry.id, entry.info, lane);
    }
    for (const id of [...lane.sources]) if (!ids.has(id)) this.forget(id);
  }

  /** A worker that died takes its sources with it: they are gone from the list, and the renderer is told. */
  private onExit(lane: Lane): void {
    this.lanes.delete(lane);
    if (this.spare === lane) this.spare = null;
    for (const id of [...lane.sources]) {
      this.forget(id);
      this.changes.record(id);
    }
  }
}
