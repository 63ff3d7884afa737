import type { OpenOptions, SessionQuery, StoreAdapter, StoreSource } from '../adapters/adapter';
import type { FormatName, StoreWarning } from '../model/types';
import type { SqliteDatabase } from '../sqlite/open';
import type { SqliteReader } from '../sqlite/reader';
import { readSchema } from '../sqlite/schema';
import { pathStamp } from '../files/stamp';
import type { HotJournalOptions } from './hot-journal';
import { probeSqlite, type Probe } from './probe';

/**
 * A SQLite store as a source: the adapter's source over a reader (sqlite/reader.ts), plus what the
 * reader knows that the adapter does not. A snapshot or private copy (a WAL store nobody had open, a
 * read-only folder) is checked before and after every call; once the store has changed (a backend
 * started writing, a checkpoint ran), the source reopens on a fresh reader, and a call that ran
 * while it changed is repeated there, so nothing torn is ever shown. Live readers need none of it.
 */
const RETRIES = 2;

export function sqliteSource(probe: Extract<Probe, { kind: 'sqlite' }>, adapter: StoreAdapter, options: OpenOptions & HotJournalOptions): StoreSource {
  const inner = adapter.open(probe, options);
  if (probe.reader.mode === 'live' && probe.warnings.length === 0) {
    const reader = probe.reader;
    return Object.assign(inner, { changeToken: () => readerToken(reader) });
  }
  return new ReaderSource(probe.path, adapter, inner, probe.reader, probe.warnings, options);
}

/**
 * What a watcher compares: the connection's `data_version` (it changes when any other connection
 * commits, also in WAL mode, where the main file does not change until a checkpoint) and the main
 * file's stat (a file replaced under the same name). A snapshot's reader says itself whether what
 * it was taken from changed. Under another program's exclusive lock `data_version` cannot be read
 * (after the connection's short busy wait): the last token stands, and a later poll tells.
 */
const lastTokens = new WeakMap<SqliteReader, string>();

function readerToken(reader: SqliteReader): string {
  const stamp = pathStamp(reader.path);
  if (reader.mode !== 'live') return `${stamp}|${reader.changed() ? 'changed' : 'same'}`;
  try {
    const token = `${stamp}|${String(reader.db.pragma('data_version', { simple: true }))}`;
    lastTokens.set(reader, token);
    return token;
  } catch {
    return lastTokens.get(reader) ?? 'locked';
  }
}

class ReaderSource implements StoreSource {
  readonly format: FormatName;

  constructor(
    readonly path: string,
    private readonly adapter: StoreAdapter,
    private inner: StoreSource,
    private reader: SqliteReader,
    private readonly warnings: StoreWarning[],
    private readonly options: OpenOptions & HotJournalOptions,
  ) {
    this.format = inner.format;
  }

  describe() {
    const described = this.call((s) => s.describe());
    return { ...described, warnings: [...this.warnings, ...described.warnings] };
  }

  listSessions(query?: SessionQuery) {
    return this.call((s) => s.listSessions(query));
  }

  getSession(id: string) {
    return this.call((s) => s.getSession(id));
  }

  loadSession(id: string) {
    return this.call((s) => s.loadSession(id));
  }

  groupValues(field: string) {
    return this.call((s) => s.groupValues(field));
  }

  close(): void {
    this.inner.close();
    this.reader.close();
  }

  changeToken(): string {
    return readerToken(this.reader);
  }

  private call<T>(fn: (source: StoreSource) => T): T {
    for (let attempt = 0; ; attempt++) {
      if (this.reader.changed()) this.reopen();
      let result: T;
      try {
        result = fn(this.inner);
      } catch (error) {
        // A snapshot read while the file changed can fail as well as return stale rows.
        if (attempt < RETRIES && this.reader.changed()) continue;
        throw error;
      }
      if (attempt >= RETRIES || !this.reader.changed()) return result;
    }
  }

  private reopen(): void {
    const probe = probeSqlite(this.path, this.options);
    if (!this.adapter.detect(probe)) {
      probe.reader.close();
      throw new Error(`${this.path} is no longer a ${this.format} store; reload it`);
    }
    this.inner.close();
    this.reader.close();
    this.reader = probe.reader;
    this.inner = this.adapter.open(probe, this.options);
  }
}

/**
 * The store as a write transaction sees it: a source over the writer's own connection, so a check
 * made inside the write (is the layout still the plan's, does the rule still select the session)
 * is a query in that transaction and opens nothing else. Closing it leaves the connection open.
 * Throws when the file is not (or no longer) a store of the layout `adapter` reads.
 */
export function sourceOnConnection(db: SqliteDatabase, path: string, adapter: StoreAdapter, options: OpenOptions = {}): StoreSource {
  const probe = probeOnConnection(db, path);
  if (!adapter.detect(probe)) {
    throw new LayoutChangedError(`${path} is no longer a ${adapter.format} store, the layout this write was prepared for; nothing was changed`);
  }
  const source = adapter.open(probe, options);
  // The adapter's close would close the writer's connection; its statements go with the connection.
  return {
    path: source.path,
    format: source.format,
    describe: () => source.describe(),
    listSessions: (query) => source.listSessions(query),
    getSession: (id) => source.getSession(id),
    loadSession: (id) => source.loadSession(id),
    groupValues: (field) => source.groupValues(field),
    close: () => undefined,
  };
}

/** Detection on an open connection (a writer's): whether the file holds a store `adapter` reads, now. */
export function holdsLayoutOnConnection(db: SqliteDatabase, path: string, adapter: StoreAdapter): boolean {
  return adapter.detect(probeOnConnection(db, path));
}

function probeOnConnection(db: SqliteDatabase, path: string): Probe {
  const reader: SqliteReader = { path, db, mode: 'live', changed: () => false, close: () => undefined };
  return { kind: 'sqlite', path, db, schema: readSchema(db), reader, warnings: [] };
}

export class LayoutChangedError extends Error {
  override name = 'LayoutChangedError';
}
