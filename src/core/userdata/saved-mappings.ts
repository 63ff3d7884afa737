import { mkdirSync, realpathSync, statSync } from 'node:fs';
import { READ_LIMITS } from '../files/limits';
import { readTextFile } from '../files/read';
import { dirname, join, resolve } from 'node:path';
import { atomicWriteFile } from '../safety/atomic-write';
import { dataRoot } from './data-dir';

/**
 * The column mappings the user saved in the app, one per SQLite file, kept in Arbor's data folder
 * (`column-mappings.json`) by the file's real path, so the file opens mapped next time, by whichever
 * path or link it is opened. The mappings are kept as the data they are; the layout that reads
 * mapped files checks them against the file each time it opens one.
 */

const FILE = 'column-mappings.json';

interface Saved {
  version: 1;
  mappings: Record<string, { mapping: unknown; savedAt: string }>;
}

export class SavedMappings {
  private saved: Saved | null = null;
  /** The file as it was read (size, mtime, inode): the service's worker threads each keep one of these. */
  private readStamp: string | null = null;

  constructor(private readonly root: string = dataRoot()) {}

  get file(): string {
    return join(this.root, FILE);
  }

  /** The mapping saved for the file at `path`, or undefined. */
  get(path: string): unknown {
    return this.read().mappings[keyOf(path)]?.mapping;
  }

  set(path: string, mapping: unknown, now = new Date()): void {
    const saved = this.read();
    saved.mappings[keyOf(path)] = { mapping, savedAt: now.toISOString() };
    mkdirSync(dirname(this.file), { recursive: true });
    atomicWriteFile(this.file, `${JSON.stringify(saved, null, 2)}\n`);
  }

  remove(path: string): boolean {
    const saved = this.read();
    const key = keyOf(path);
    if (!(key in saved.mappings)) return false;
    delete saved.mappings[key];
    atomicWriteFile(this.file, `${JSON.stringify(saved, null, 2)}\n`);
    return true;
  }

  /**
   * Kept while the file is unchanged; read again when another thread (a service worker beside this
   * one) has saved since. A damaged file counts as empty.
   */
  private read(): Saved {
    const stamp = this.stamp();
    if (this.saved && stamp === this.readStamp) return this.saved;
    this.readStamp = stamp;
    let saved: Saved = { version: 1, mappings: {} };
    try {
      const parsed = JSON.parse(readTextFile(this.file, { limit: READ_LIMITS.small, what: 'saved mappings' })) as Partial<Saved>;
      if (parsed && typeof parsed.mappings === 'object' && parsed.mappings !== null && !Array.isArray(parsed.mappings)) saved = { version: 1, mappings: parsed.mappings };
    } catch {
      // No file yet, or one Arbor cannot read: start empty (a save writes a whole new file).
    }
    this.saved = saved;
    return saved;
  }

  private stamp(): string {
    try {
      const stats = statSync(this.file);
      return `${stats.size}:${stats.mtimeMs}:${stats.ino}`;
    } catch {
      return 'none';
    }
  }
}

/** A file by its real path (links and relative paths resolved); a missing file by its absolute path. */
function keyOf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}
