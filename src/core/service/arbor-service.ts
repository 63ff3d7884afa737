import type { ApiHandlers } from '../../shared/contract';
import type { AppInfo, OpenResult, SourceInfo } from '../../shared/dto';
import { ApiError } from '../../shared/errors';
import type { OpenOptions, StoreSource } from '../adapters/adapter';
import { discoverSources, LAYOUTS, layoutOfSource, openStore, reopenStore } from '../catalog';
import { UnknownStoreError } from '../scan/discover';
import { knownLocations } from '../stores/known-locations';
import { SavedMappings } from '../userdata/saved-mappings';
import { cleanupCalls } from './cleanup-calls';
import { mappingCalls } from './mapping-calls';
import { SearchIndexes, searchCalls } from './search-calls';
import { PendingMap, taggedId, type ServiceContext } from './context';
import { ChangeLog } from './live/change-log';
import { SourceWatcher } from './live/source-watcher';
import type { StoreWarning } from '../model/types';
import { ProgressBoard } from './progress';
import { SessionCache, type OpenSession } from './session-cache';
import { transferCalls, type Download } from './transfer-calls';
import { removeQuietly, TransferScratch } from './transfer-scratch';
import { laneTranscriptOf, mainAnchorOf } from './lane-views';
import { pathWindowOf, siblingAt } from './path-window';
import { activePathOf, detailsOf, graphOf, overviewOf, segmentMessagesOf, valuePageOf } from './views';

/**
 * The API's implementation, shared by every host: the Electron main process serves it over IPC,
 * `arbor serve` over HTTP, and the tests call it directly. It owns the open sources; hosts add only
 * what they alone can do (native dialogs).
 */
export interface HostHooks {
  info: AppInfo;
  pickPaths?: (kind: 'file' | 'folder') => Promise<string[] | null>;
  pickSavePath?: (suggestedName: string, purpose?: 'export' | 'new-store') => Promise<string | null>;
  /** Where backups go; the safety module's per-user trash when not given. */
  trashDir?: string;
  /** Arbor's user data (saved column mappings); the per-user data folder (ARBOR_DATA_DIR) when not given. */
  dataDir?: string;
  /** Arbor's own temp folder for browser-mode exports and uploads (transfer-scratch.ts) when not the default. */
  transferDir?: string;
  /** Told whenever the set of open sources changes (the app remembers recent sources). */
  onSourcesChanged?: (paths: string[]) => void;
  /** Live stores: poll the open sources for changes (service/live); off unless asked (the tests' services stay still). */
  watch?: { intervalMs?: number };
  /** Told when the watcher sees an open source's store change (after it is in `sources.changes`). */
  onSourceChanged?: (sourceId: string) => void;
}

export class ArborService {
  private readonly sources = new Map<string, StoreSource>();
  private readonly progress = new ProgressBoard();
  private readonly cache = new SessionCache();
  /** A download dropped unserved (too many waiting, or the service closing) takes its file with it. */
  private readonly downloads = new PendingMap<Download>('dl', 32, (d) => removeQuietly(d.path));
  private transferScratch: TransferScratch | null = null;
  private readonly mappings: SavedMappings;
  /** One search index per open source, closed with it. */
  private readonly search = new SearchIndexes();
  private readonly changes = new ChangeLog();
  private readonly watcher: SourceWatcher | null;
  /** Warnings a source met where it was first opened, kept when another worker adopts it. */
  private readonly carried = new Map<string, StoreWarning[]>();
  /**
   * Paths of sources open in other workers of the same host, by id, set by the worker for the call
   * at hand (an import from one source into another names both).
   */
  foreignPaths: Readonly<Record<string, string>> = {};
  /** How stores open: the host's options, and the column mappings saved for files (checked by the layout that reads them). */
  private readonly options: OpenOptions;
  private nextId = 1;

  constructor(
    private readonly host: HostHooks,
    options: OpenOptions = {},
  ) {
    this.mappings = new SavedMappings(host.dataDir);
    this.options = { ...options, mappingFor: (path) => options.mappingFor?.(path) ?? this.mappings.get(path) };
    this.watcher = host.watch
      ? new SourceWatcher({
          intervalMs: host.watch.intervalMs,
          sources: () => this.sources.entries(),
          onChange: (id) => {
            this.changes.record(id);
            this.host.onSourceChanged?.(id);
          },
        })
      : null;
    this.watcher?.start();
  }

  /** Registers a source under its id: the watcher takes its state now as the baseline. */
  private keep(id: string, source: StoreSource): void {
    this.sources.set(id, source);
    this.watcher?.baseline(id, source);
  }

  private drop(id: string): void {
    this.sources.delete(id);
    this.carried.delete(id);
    this.watcher?.forget(id);
    this.changes.forget(id);
    this.cache.forgetSource(id);
  }

  /**
   * Takes over a source another worker opened (a folder held several stores: each gets its own
   * worker), under the same id, reopened by its known layout.
   */
  adopt(id: string, path: string, format: string, warnings: StoreWarning[]): SourceInfo {
    const layout = LAYOUTS.find((l) => l.format === format);
    if (!layout) throw new ApiError('failed', `No layout "${format}" to reopen ${path} with.`);
    const source = reopenStore(path, layout, this.openOptions());
    this.keep(id, source);
    // Only what the reopened source does not say again itself (a hot journal rolled back at first open).
    const said = new Set(source.describe().warnings.map((w) => `${w.code}\u0000${w.message}`));
    const kept = warnings.filter((w) => !said.has(`${w.code}\u0000${w.message}`));
    if (kept.length) this.carried.set(id, kept);
    return this.info(id, source);
  }

  /** Closes a source that another worker takes over; its id lives on there. */
  release(id: string): void {
    this.sources.get(id)?.close();
    this.drop(id);
  }

  /** The source's facts now (the watcher saw it change). */
  describeSource(id: string): SourceInfo {
    return this.info(id, this.source(id));
  }

  /**
   * Opens every store at or below the paths. A store already open is not probed or opened again:
   * discovery skips it (what it is is known) and the open source is returned. A SQLite file no
   * layout knows is a warning (the app offers "Map columns…" on it), not a failure of the others.
   */
  open(paths: readonly string[], elsewhere: ReadonlyMap<string, string> = new Map()) {
    const here = new Map([...this.sources.entries()].map(([id, s]) => [s.path, id]));
    const byPath = new Map([...elsewhere, ...here]);
    const found: { sources: StoreSource[]; warnings: OpenResult['warnings']; alreadyOpen: string[] } = { sources: [], warnings: [], alreadyOpen: [] };
    for (const path of paths) {
      try {
        const one = discoverSources([path], { ...this.openOptions(), isOpen: (p) => byPath.has(p) });
        found.sources.push(...one.sources);
        found.warnings.push(...one.warnings);
        found.alreadyOpen.push(...one.alreadyOpen);
      } catch (error) {
        if (!(error instanceof UnknownStoreError) || error.found !== 'sqlite') {
          for (const s of found.sources) s.close();
          throw error;
        }
        found.warnings.push({ code: 'unknown-sqlite', message: error.message, file: error.path ?? path });
      }
    }
    const opened: SourceInfo[] = [];
    /** Ids of sources already open in another worker (the host answers with what it knows of them). */
    const openElsewhere: string[] = [];
    for (const path of found.alreadyOpen) {
      const id = byPath.get(path)!;
      if (here.has(path)) opened.push(this.info(id, this.sources.get(id)!));
      else openElsewhere.push(id);
    }
    for (const source of found.sources) {
      const id = taggedId('src', this.nextId++);
      this.keep(id, source);
      opened.push(this.info(id, source));
    }
    this.host.onSourcesChanged?.(this.openPaths());
    return { opened, warnings: found.warnings, openElsewhere };
  }

  /** Hot journals met while opening a store are backed up into the host's trash (see scan/hot-journal). */
  private openOptions() {
    return { ...this.options, ...(this.host.trashDir ? { trashDir: this.host.trashDir } : {}) };
  }

  /** A finished browser-mode export, served once by the HTTP transport (which removes the file after). */
  takeDownload(id: string): Download | undefined {
    return this.downloads.take(id);
  }

  openIds(): string[] {
    return [...this.sources.keys()];
  }

  /** The same without using it up (HTTP HEAD). */
  peekDownload(id: string): Download | undefined {
    return this.downloads.peek(id);
  }

  openPaths(): string[] {
    return [...this.sources.values()].map((s) => s.path);
  }

  /** Closes every source and removes this run's transfer files (waiting downloads, uploads). */
  closeAll(): void {
    this.changes.release();
    this.search.closeAll();
    this.watcher?.stop();
    for (const s of this.sources.values()) s.close();
    this.sources.clear();
    this.downloads.clear();
    this.transferScratch?.removeAll();
  }

  readonly handlers: ApiHandlers = {
    'app.info': () => this.host.info,
    'layouts.list': () =>
      LAYOUTS.map((l) => ({
        format: l.format,
        label: l.label,
        summary: l.summary,
        storage: l.storage,
        capabilities: l.capabilities,
        newStoreHint: l.newStoreHint ?? null,
        takesTenant: l.codec?.takesTenant === true,
        tenantField: l.codec?.tenantField ?? null,
      })),
    'sources.list': () => [...this.sources.entries()].map(([id, s]) => this.info(id, s)),
    'sources.open': ({ paths }) => {
      const { opened, warnings } = this.open(paths);
      return { opened, warnings };
    },
    'sources.changes': ({ since, waitMs }, signal) => this.changes.wait(since, waitMs ?? 0, signal),
    'sources.close': ({ sourceId }) => {
      const source = this.sources.get(sourceId);
      if (!source) return { closed: false };
      this.search.forget(sourceId);
      source.close();
      this.drop(sourceId);
      this.host.onSourcesChanged?.(this.openPaths());
      return { closed: true };
    },
    'sources.reload': ({ sourceId }) => {
      const old = this.source(sourceId);
      // The layout is known: a SQLite store reopens through SQLite, without deciding its kind again.
      const fresh = reopenStore(old.path, layoutOfSource(old), this.openOptions());
      this.search.forget(sourceId);
      old.close();
      this.keep(sourceId, fresh);
      // The open session stays open: the next session.open re-reads it and keeps the user's branch.
      return this.info(sourceId, fresh);
    },
    'locations.list': () => knownLocations(LAYOUTS).map(({ layout, label, path, exists, sessions }) => ({ layout, label, path, exists, sessions })),
    'sessions.list': ({ sourceId, ...query }) => this.source(sourceId).listSessions(query),
    'sessions.groups': ({ sourceId, field }) => this.source(sourceId).groupValues(field),
    'session.open': ({ sourceId, sessionId }) => {
      const open = this.cache.load(sourceId, this.source(sourceId), sessionId);
      if (!open) throw notFound(sessionId);
      return overviewOf(open);
    },
    'session.activate': ({ sourceId, sessionId, messageId, siblingPosition, window }) => {
      const open = this.session(sourceId, sessionId);
      if (messageId !== null && siblingPosition !== undefined) {
        const sibling = siblingAt(open, messageId, siblingPosition);
        if (sibling === null) throw new ApiError('not-found', `No message "${messageId}" in session "${sessionId}".`);
        open.activeLeaf = open.tree.index.newestLeaf[sibling];
      } else if (messageId !== null) {
        // A subagent's message is reached through the main-line message its lane hangs under.
        const anchor = open.tree.index.indexOf.has(messageId) ? messageId : mainAnchorOf(open, messageId);
        const at = anchor !== null ? open.tree.index.indexOf.get(anchor) : undefined;
        if (at === undefined) throw new ApiError('not-found', `No message "${messageId}" in session "${sessionId}".`);
        open.activeLeaf = open.tree.index.newestLeaf[at];
      }
      return window ? pathWindowOf(open, open.activeLeaf, window) : activePathOf(open);
    },
    'session.path': ({ sourceId, sessionId, leafId, window }) => {
      const open = this.session(sourceId, sessionId);
      const leaf = open.tree.index.indexOf.get(leafId);
      if (leaf === undefined) throw new ApiError('not-found', `No message "${leafId}" in session "${sessionId}".`);
      return pathWindowOf(open, leaf, window);
    },
    'session.graph': ({ sourceId, sessionId }) => graphOf(this.session(sourceId, sessionId)),
    'session.segment': ({ sourceId, sessionId, segment }) => {
      const messages = segmentMessagesOf(this.session(sourceId, sessionId), segment);
      if (!messages) throw new ApiError('not-found', `No segment ${segment} in session "${sessionId}".`);
      return messages;
    },
    'session.lane': ({ sourceId, sessionId, laneId }) => {
      const lane = laneTranscriptOf(this.session(sourceId, sessionId), laneId);
      if (!lane) throw new ApiError('not-found', `No subagent lane "${laneId}" in session "${sessionId}".`);
      return lane;
    },
    'message.details': ({ sourceId, sessionId, messageId }) => {
      const details = detailsOf(this.session(sourceId, sessionId), messageId);
      if (!details) throw new ApiError('not-found', `No message "${messageId}" in session "${sessionId}".`);
      return details;
    },
    'message.value': ({ sourceId, sessionId, messageId, path, offset, limit }) => {
      const page = valuePageOf(this.session(sourceId, sessionId), messageId, path, offset, limit);
      if (!page) throw new ApiError('not-found', `No value at ${JSON.stringify(path)} in message "${messageId}".`);
      return page;
    },
    'host.pickPaths': async ({ kind }) => {
      if (!this.host.pickPaths) throw new ApiError('unsupported', 'This host has no file dialog; type a path instead.');
      return this.host.pickPaths(kind);
    },
    ...cleanupCalls(this.context()),
    ...transferCalls(this.context(), this.downloads, () => (this.transferScratch ??= new TransferScratch(this.host.transferDir))),
    ...searchCalls(
      { progress: this.progress, sourceIds: () => [...this.sources.keys()], source: (id) => this.source(id), session: (id, sessionId) => this.session(id, sessionId) },
      this.search,
    ),
    ...mappingCalls({ saved: () => this.mappings, openMapped: (path) => this.openMapped(path) }),
  };

  /** A file that now has a mapping: opened through it, or, when it is open already, reopened. */
  private openMapped(path: string): OpenResult {
    const existing = [...this.sources.entries()].find(([, s]) => s.path === path);
    if (!existing) return this.open([path]);
    const [id, old] = existing;
    const fresh = openStore(path, this.options);
    this.search.forget(id);
    old.close();
    this.keep(id, fresh);
    this.cache.forgetSource(id);
    return { opened: [this.info(id, fresh)], warnings: [] };
  }

  /** Read at call time: `handlers` is built as a field, before the constructor has set `host`. */
  private context(): ServiceContext {
    const host = () => this.host;
    const options = () => this.options;
    return {
      get info() {
        return host().info;
      },
      get trashDir() {
        return host().trashDir;
      },
      get openOptions() {
        return options();
      },
      get pickSavePath() {
        return host().pickSavePath;
      },
      progress: this.progress,
      source: (sourceId) => this.source(sourceId),
      sourcePath: (sourceId) => this.sources.get(sourceId)?.path ?? this.foreignPaths[sourceId] ?? this.source(sourceId).path,
      storeChanged: (storePath) => {
        for (const [id, s] of this.sources) if (s.path === storePath) this.cache.forgetSource(id);
      },
      openCreated: (path) => {
        this.open([path]);
      },
    };
  }

  private info(id: string, source: StoreSource): SourceInfo {
    const described = source.describe();
    const carried = this.carried.get(id);
    const warnings = carried ? [...carried, ...described.warnings] : described.warnings;
    return { id, ...described, warnings, capabilities: layoutOfSource(source).capabilities };
  }

  private source(sourceId: string): StoreSource {
    const source = this.sources.get(sourceId);
    if (!source) throw new ApiError('not-found', `No open source "${sourceId}"; it may have been closed.`);
    return source;
  }

  private session(sourceId: string, sessionId: string): OpenSession {
    const open = this.cache.get(sourceId, this.source(sourceId), sessionId);
    if (!open) throw notFound(sessionId);
    return open;
  }
}

const notFound = (sessionId: string) => new ApiError('not-found', `No session "${sessionId}" in this source.`);
