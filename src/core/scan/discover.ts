import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { OpenOptions, StoreSource } from '../adapters/adapter';
import type { StoreWarning } from '../model/types';
import { knownLayoutsText, type StoreLayout } from '../stores/layout';
import { probeFile, releaseProbe, type Probe } from './probe';

/**
 * Turns the paths a user gives into sources. A path may be one store (a SQLite file, a JSONL-tree
 * folder) or a folder that holds several: it is scanned a few levels deep and every store found is
 * a source. Nothing is created or modified.
 */

export const SCAN_DEPTH = 4;
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '__pycache__']);

export interface DiscoveryResult {
  sources: StoreSource[];
  /** Problems with what was given or found: unknown SQLite files, unreadable folders, ... */
  warnings: StoreWarning[];
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
export function openStore(path: string, layouts: readonly StoreLayout[], options: OpenOptions = {}): StoreSource {
  const full = resolve(path);
  const probe = probePath(full);
  const source = claim(probe, layouts, options);
  if (source) return source;
  throw new UnknownStoreError(describeUnknown(probe, layouts), full, probe.kind);
}

/** Every store of `layouts` at or below each path. Throws only when a given path does not exist. */
export function discoverSources(paths: readonly string[], layouts: readonly StoreLayout[], options: OpenOptions = {}): DiscoveryResult {
  const result: DiscoveryResult = { sources: [], warnings: [] };
  for (const path of paths) {
    const full = resolve(path);
    let isDir: boolean;
    try {
      isDir = statSync(full).isDirectory();
    } catch {
      throw new UnknownStoreError(`${full}: no such file or folder`, full, 'missing');
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
        message: `${full}: no session store found (looked ${SCAN_DEPTH} levels deep). Arbor knows: ${knownLayoutsText(layouts)}.`,
        file: full,
      });
    }
  }
  return result;
}

function scanFolder(dir: string, depth: number, layouts: readonly StoreLayout[], options: OpenOptions, result: DiscoveryResult): void {
  let probe: Probe;
  try {
    probe = probePath(dir);
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
    if (entry.isDirectory()) {
      if (depth + 1 < SCAN_DEPTH && !SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) {
        scanFolder(child, depth + 1, layouts, options, result);
      }
    } else if (entry.isFile()) {
      scanFile(child, layouts, options, result);
    }
  }
}

function scanFile(path: string, layouts: readonly StoreLayout[], options: OpenOptions, result: DiscoveryResult): void {
  let probe: Probe;
  try {
    probe = probeFile(path);
  } catch (error) {
    result.warnings.push({ code: 'unreadable-file', message: `${path}: ${(error as Error).message}`, file: path });
    return;
  }
  const source = claim(probe, layouts, options);
  if (source) result.sources.push(source);
  // Only unknown SQLite files are worth a word; other files in a folder are simply not stores.
  else if (probe.kind === 'sqlite') result.warnings.push({ code: 'unknown-sqlite', message: describeUnknown(probe, layouts), file: path });
}

function probePath(full: string): Probe {
  const stat = statSync(full);
  if (stat.isDirectory()) return { kind: 'directory', path: full, entries: readdirSync(full, { withFileTypes: true }) };
  return probeFile(full);
}

/** The first layout whose reader recognises the probe opens it; the probe is released when none does. */
function claim(probe: Probe, layouts: readonly StoreLayout[], options: OpenOptions): StoreSource | null {
  for (const { reader } of layouts) {
    if (reader.detect(probe, options)) return reader.open(probe, options);
  }
  releaseProbe(probe);
  return null;
}

function describeUnknown(probe: Probe, layouts: readonly StoreLayout[]): string {
  switch (probe.kind) {
    case 'sqlite': {
      const tables = [...probe.schema.tables.values()].map((t) => `${t.name}(${t.columns.join(', ')})`);
      return `${probe.path}: a SQLite file in no layout Arbor knows. Its tables: ${tables.length ? tables.join('; ') : 'none'}. To read it, map its columns: Map columns… in the app, or --mapping FILE on the command line (docs/formats/sql-mapping.md). Arbor knows: ${knownLayoutsText(layouts)}.`;
    }
    case 'directory':
      return `${probe.path}: a folder that is not a session store. Arbor knows: ${knownLayoutsText(layouts)}.`;
    case 'file':
      return `${probe.path}: not a session store (neither SQLite nor a known file layout). Arbor knows: ${knownLayoutsText(layouts)}.`;
  }
}
