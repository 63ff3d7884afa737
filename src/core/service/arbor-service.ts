import type { ApiHandlers } from '../../shared/contract';
import type { AppInfo, OpenResult, SourceInfo } from '../../shared/dto';
import { ApiError } from '../../shared/errors';
import type { OpenOptions, StoreSource } from '../adapters/adapter';
import { discoverSources, LAYOUTS, layoutOfSource, openStore } from '../catalog';
import { UnknownStoreError } from '../scan/discover';
import { SavedMappings } from '../userdata/saved-mappings';
import { cleanupCalls } from './cleanup-calls';
import { mappingCalls } from './mapping-calls';
import { PendingMap, type ServiceContext } from './context';
import { ProgressBoard } from './progress';
import { SessionCache, type OpenSession } from './session-cache';
import { transferCalls, type Download } from './transfer-calls';
import { activePathOf, detailsOf, graphOf, overviewOf, segmentMessagesOf } from './views';

/**
 * The API's implementation, shared by every host: the Electron main process serves it over IPC,
 * `arbor serve` over HTTP, and the tests call it directly. It owns the open sources; hosts add only
 * what they alone can do (native dialogs).
 */
export interface HostHooks {
  info: AppInfo;
  pickPaths?: (kind: 'file' | 'folder') => Promise<string[] | null>;
  pickSavePath?: (suggestedName: string) => Promise<string | null>;
  /** Where backups go; the safety module's per-user trash when not given. */
  trashDir?: string;
  /** Arbor's user data (saved column mappings); the per-user data folder (ARBOR_DATA_DIR) when not given. */
  dataDir?: string;
  /** Told whenever the set of open sources changes (the app remembers recent sources). */
  onSourcesChanged?: (paths: string[]) => void;
}

export class ArborService {
  private readonly sources = new Map<string, StoreSource>();
  private readonly progress = new ProgressBoard();
  private readonly cache = new SessionCache();
  private readonly downloads = new PendingMap<Download>('dl');
  private readonly mappings: SavedMappings;
  /** How stores open: the host's options, and the column mappings saved for files (checked by the layout that reads them). */
  private readonly options: OpenOptions;
  private nextId = 1;

  constructor(
    private readonly host: HostHooks,
    options: OpenOptions = {},
  ) {
    this.mappings = new SavedMappings(host.dataDir);
    this.options = { ...options, mappingFor: (path) => options.mappingFor?.(path) ?? this.mappings.get(path) };
  }

  /**
   * Opens every store at or below the paths; a path already open is not opened twice. A SQLite file
   * no layout knows is a warning (the app offers "Map columns…" on it), not a failure of the others.
   */
  open(paths: readonly string[]) {
    const found: { sources: StoreSource[]; warnings: OpenResult['warnings'] } = { sources: [], warnings: [] };
    for (const path of paths) {
      try {
        const one = discoverSources([path], this.options);
        found.sources.push(...one.sources);
        found.warnings.push(...one.warnings);
      } catch (error) {
        if (!(error instanceof UnknownStoreError) || error.found !== 'sqlite') {
          for (const s of found.sources) s.close();
          throw error;
        }
        found.warnings.push({ code: 'unknown-sqlite', message: error.message, file: error.path ?? path });
      }
    }
    const opened: SourceInfo[] = [];
    for (const source of found.sources) {
      const existing = [...this.sources.entries()].find(([, s]) => s.path === source.path);
      if (existing) {
        source.close();
        opened.push(this.info(existing[0], existing[1]));
        continue;
      }
      const id = `src${this.nextId++}`;
      this.sources.set(id, source);
      opened.push(this.info(id, source));
    }
    this.host.onSourcesChanged?.(this.openPaths());
    return { opened, warnings: found.warnings };
  }

  /** A finished browser-mode export, served once by the HTTP transport. */
  takeDownload(id: string): Download | undefined {
    return this.downloads.take(id);
  }

  openPaths(): string[] {
    return [...this.sources.values()].map((s) => s.path);
  }

  closeAll(): void {
    for (const s of this.sources.values()) s.close();
    this.sources.clear();
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
    'sources.open': ({ paths }) => this.open(paths),
    'sources.close': ({ sourceId }) => {
      const source = this.sources.get(sourceId);
      if (!source) return { closed: false };
      source.close();
      this.sources.delete(sourceId);
      this.cache.forgetSource(sourceId);
      this.host.onSourcesChanged?.(this.openPaths());
      return { closed: true };
    },
    'sources.reload': ({ sourceId }) => {
      const old = this.source(sourceId);
      const fresh = openStore(old.path, this.options);
      old.close();
      this.sources.set(sourceId, fresh);
      this.cache.forgetSource(sourceId);
      return this.info(sourceId, fresh);
    },
    'sessions.list': ({ sourceId, ...query }) => this.source(sourceId).listSessions(query),
    'sessions.groups': ({ sourceId, field }) => this.source(sourceId).groupValues(field),
    'session.open': ({ sourceId, sessionId }) => {
      const open = this.cache.load(sourceId, this.source(sourceId), sessionId);
      if (!open) throw notFound(sessionId);
      return overviewOf(open);
    },
    'session.activate': ({ sourceId, sessionId, messageId }) => {
      const open = this.session(sourceId, sessionId);
      if (messageId !== null) {
        const at = open.tree.index.indexOf.get(messageId);
        if (at === undefined) throw new ApiError('not-found', `No message "${messageId}" in session "${sessionId}".`);
        open.activeLeaf = open.tree.index.newestLeaf[at];
      }
      return activePathOf(open);
    },
    'session.graph': ({ sourceId, sessionId }) => graphOf(this.session(sourceId, sessionId)),
    'session.segment': ({ sourceId, sessionId, segment }) => {
      const messages = segmentMessagesOf(this.session(sourceId, sessionId), segment);
      if (!messages) throw new ApiError('not-found', `No segment ${segment} in session "${sessionId}".`);
      return messages;
    },
    'message.details': ({ sourceId, sessionId, messageId }) => {
      const details = detailsOf(this.session(sourceId, sessionId), messageId);
      if (!details) throw new ApiError('not-found', `No message "${messageId}" in session "${sessionId}".`);
      return details;
    },
    'host.pickPaths': async ({ kind }) => {
      if (!this.host.pickPaths) throw new ApiError('unsupported', 'This host has no file dialog; type a path instead.');
      return this.host.pickPaths(kind);
    },
    ...cleanupCalls(this.context()),
    ...transferCalls(this.context(), this.downloads),
    ...mappingCalls({ saved: () => this.mappings, openMapped: (path) => this.openMapped(path) }),
  };

  /** A file that now has a mapping: opened through it, or, when it is open already, reopened. */
  private openMapped(path: string): OpenResult {
    const existing = [...this.sources.entries()].find(([, s]) => s.path === path);
    if (!existing) return this.open([path]);
    const [id, old] = existing;
    const fresh = openStore(path, this.options);
    old.close();
    this.sources.set(id, fresh);
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
      storeChanged: (storePath) => {
        for (const [id, s] of this.sources) if (s.path === storePath) this.cache.forgetSource(id);
      },
      openCreated: (path) => {
        this.open([path]);
      },
    };
  }

  private info(id: string, source: StoreSource): SourceInfo {
    return { id, ...source.describe(), capabilities: layoutOfSource(source).capabilities };
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
