import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { OpenOptions, StoreSource } from '../adapters/adapter';
import { FileAccessError } from '../files/errors';
import { describeKind, kindOf } from '../files/kind';
import { sqliteSidecarOwner } from '../files/sidecar';
import type { StoreWarning } from '../model/types';
import type { StoreLayout } from '../stores/layout';
import type { HotJournalOptions } from './hot-journal';
import { probeDirectory, probeFile, probeSqlite, releaseProbe, type Probe } from './probe';
import { sqliteSource } from './sqlite-source';

/**
 * Turns the paths a user gives into sources. A path may be one store (a SQLite file, a JSONL-tree
 * folder) or a folder that holds several: it is scanned a few levels deep and every store found is
 * a source. Nothing is created or modified.
 */

export const SCAN_DEPTH = 4;
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '__pycache__']);

export interface DiscoverOptions extends OpenOptions, HotJournalOptions {
  /**
   * Paths the caller already has open as sources: they are reported in `alreadyOpen` and not probed
   * again (an open store is not reopened to learn what is already known).
   */
  isOpen?: (path: string) => boolean;
}

export interface DiscoveryResult {
  sources: StoreSource[];
  /** Problems with what was given or found: unknown SQLite files, unreadable folders, ... */
  warnings: StoreWarning[];
  /** Stores found that `isOpen` said are open already. */
  alreadyOpen: string[];
}

export class UnknownStoreError extends Error {
  constructor(
    message: string,
    /** The path that held no store, when there is one (the app offers to map an unknown SQLite file). */
    readonly path: string | null = null,
    /** What was found there: a SQLite file no layout claims can still be read through a column mapping. */
    readonly found: Probe['kind'] | 'missing' = 'missing',
  ) {
    super(message);
    this.name = 'UnknownStoreError';
  }
}

/**
 * Opens exactly one store at `path` with the first of `layouts` that recognises it, or throws a
 * message that says what was found instead.
 */
export function openStore(path: string, layouts: readonly StoreLayout[], options: OpenOptions & HotJournalOptions = {}): StoreSource {
  const full = resolve(path);
  const probe = probePath(full, withKnownLayouts(options, layouts));
  const source = claim(probe, layouts, options);
  if (source) return source;
  throw new UnknownStoreError(describeUnknown(probe), full, probe.kind);
}

/**
 * Opens a store again whose layout is known (a reload): a SQLite store straight through SQLite,
 * without deciding again what kind of file it is.
 */
export function reopenStore(path: string, layout: StoreLayout, layouts: readonly StoreLayout[], options: OpenOptions & HotJournalOptions = {}): StoreSource {
  if (layout.storage !== 'sqlite') return openStore(path, layouts, options);
  const probe = probeSqlite(resolve(path), withKnownLayouts(options, layouts));
  const source = claim(probe, layouts, options);
  if (source) return source;
  throw new UnknownStoreError(describeUnknown(probe));
}

/** Every store of `layouts` at or below each path. Throws when a given path does not exist or is not a file or folder. */
export function discoverSources(paths: readonly string[], layouts: readonly StoreLayout[], options: DiscoverOptions = {}): DiscoveryResult {
  const result: DiscoveryResult = { sources: [], warnings: [], alreadyOpen: [] };
  for (const path of paths) {
    const full = resolve(path);
    let isDir: boolean;
    try {
      isDir = statSync(full).isDirectory();
    } catch {
      throw new UnknownStoreError(`${full}: no such file or folder`, full, 'missing');
    }
    if (options.isOpen?.(full)) {
      result.alreadyOpen.push(full);
      continue;
    }
    if (!isDir) {
      result.sources.push(openStore(full, layouts, options));
      continue;
    }
    const before = result.sources.length;
    scanFolder(full, 0, layouts, options, result);
    if (result.sources.length === before) {
      result.warnings.push({
        code: 'no-stores-found',
        message: `${full}: no session store found (looked ${SCAN_DEPTH} levels deep); no file or folder in it is in a layout Arbor reads.`,
        file: full,
      });
    }
  }
  return result;
}

function scanFolder(dir: string, depth: number, layouts: readonly StoreLayout[], options: DiscoverOptions, result: DiscoveryResult): void {
  let probe: Probe;
  try {
    probe = probePath(dir, withKnownLayouts(options, layouts));
  } catch (error) {
    result.warnings.push({ code: 'unreadable-path', message: `${dir}: ${(error as Error).message}`, file: dir });
    return;
  }
  const source = claim(probe, layouts, options);
  if (source) {
    result.sources.push(source);
    return;
  }
  if (probe.kind !== 'directory') return;
  const entries = [...probe.entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const child = join(dir, entry.name);
    if (options.isOpen?.(child)) {
      result.alreadyOpen.push(child);
    } else if (entry.isDirectory()) {
      if (depth + 1 < SCAN_DEPTH && !SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) {
        scanFolder(child, depth + 1, layouts, options, result);
      }
    } else if (entry.isFile() && !sqliteSidecarOwner(child)) {
      // Sidecars (-wal, -journal, -shm) are read with their database, through SQLite, never alone.
      scanFile(child, layouts, options, result);
    }
  }
}

function scanFile(path: string, layouts: readonly StoreLayout[], options: DiscoverOptions, result: DiscoveryResult): void {
  let probe: Probe;
  try {
    probe = probeFile(path, withKnownLayouts(options, layouts));
  } catch (error) {
    result.warnings.push({ code: 'unreadable-file', message: `${path}: ${(error as Error).message}`, file: path });
    return;
  }
  const source = claim(probe, layouts, options);
  if (source) result.sources.push(source);
  // Only unknown SQLite files are worth a word; other files in a folder are simply not stores.
  else if (probe.kind === 'sqlite') result.warnings.push({ code: 'unknown-sqlite', message: describeUnknown(probe), file: path });
}

/** Hot journals are rolled back only in files of a SQLite layout Arbor knows (scan/hot-journal.ts). */
function withKnownLayouts<T extends HotJournalOptions>(options: T, layouts: readonly StoreLayout[]): T {
  return { ...options, knownLayout: (probe) => layouts.find((l) => l.storage === 'sqlite' && l.reader.detect(probe))?.format ?? null };
}

function probePath(full: string, options: HotJournalOptions): Probe {
  const stat = statSync(full);
  const kind = kindOf(stat);
  if (kind === 'directory') return probeDirectory(full);
  if (kind !== 'file') throw new FileAccessError(full, 'not-regular', `${full} is ${describeKind(kind)}, not a store (a store is a regular file or a folder)`);
  return probeFile(full, options);
}

/** The first layout whose reader recognises the probe opens it; the probe is released when none does. */
function claim(probe: Probe, layouts: readonly StoreLayout[], options: OpenOptions & HotJournalOptions): StoreSource | null {
  for (const { reader: adapter } of layouts) {
    if (!adapter.detect(probe, options)) continue;
    try {
      return probe.kind === 'sqlite' ? sqliteSource(probe, adapter, options) : adapter.open(probe, options);
    } catch (error) {
      releaseProbe(probe);
      throw error;
    }
  }
  releaseProbe(probe);
  return null;
}

function describeUnknown(probe: Probe): string {
  switch (probe.kind) {
    case 'sqlite': {
      const tables = [...probe.schema.tables.values()].map((t) => `${t.name}(${t.columns.join(', ')})`);
      return `${probe.path}: a SQLite file in no layout Arbor knows. Its tables: ${tables.length ? tables.join('; ') : 'none'}. To read it, map its columns: Map columns… in the app, or --mapping FILE on the command line (docs/formats/sql-mapping.md).`;
    }
    case 'directory':
      return `${probe.path}: a folder that is not a session store (it is in no layout Arbor reads).`;
    case 'file':
      return `${probe.path}: not a session store (neither SQLite nor a file layout Arbor reads).`;
  }
}
