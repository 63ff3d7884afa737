import { openPlainFile, type OpenedFile, type OpenOptions } from '../files/open';
import { readRange } from '../files/read';
import type { StoreWarning } from '../model/types';

/**
 * Growing JSON-lines files read from where the last read ended. A backend appends to the session
 * the user is reading; reading the whole file again on every append costs a 100,000-message session
 * its full parse each time. This cache keeps, per file, what its complete lines gave (the layout's
 * items and warnings) and the byte offset after the last newline; the next read takes only the bytes
 * past it, parses them with the lines numbered on, and adds their items. The last line when it has
 * no newline yet is parsed every time and never kept (it may still be being written).
 *
 * The file is read from the start again whenever it is not what was read before: another inode or
 * device (an atomic rewrite), shorter than the offset (truncated), the same size with another mtime,
 * or different bytes at its start or just before the offset (rewritten in place). The cache is
 * bounded by the bytes of the files it stands for; the least recently read file goes first.
 */

/** The layout's reading of some complete lines: items and warnings, lines numbered from `firstLine`. */
export type ParseLines<T> = (bytes: Buffer, firstLine: number, items: T[], warnings: StoreWarning[]) => void;

export interface TailRead<T> {
  items: T[];
  warnings: StoreWarning[];
  /** Where this read started: 0 for a whole read, the earlier offset for a tail read. */
  from: number;
  /** The file's size when it was read. */
  size: number;
}

interface Entry<T> {
  ino: number;
  dev: number;
  /** The file's size and mtime at the read: the same size with another mtime is a rewrite, not an append. */
  size: number;
  mtimeMs: number;
  /** Bytes of complete lines read (the offset just past the last newline). */
  end: number;
  /** Complete lines read (the next line's number is lines + 1). */
  lines: number;
  head: Buffer;
  /** The bytes just before `end`. */
  before: Buffer;
  items: T[];
  warnings: StoreWarning[];
}

const CHECK_BYTES = 64;
const NEWLINE = 0x0a;
export const TAIL_CACHE_BYTES = 256 * 1024 * 1024;
/** For caches of parsed records (the agent CLIs' layouts fold across lines), which weigh more than messages. */
export const RECORD_TAIL_CACHE_BYTES = 128 * 1024 * 1024;

export class JsonlTailCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private bytes = 0;

  constructor(private readonly maxBytes = TAIL_CACHE_BYTES) {}

  has(path: string): boolean {
    return this.entries.has(path);
  }

  read(path: string, options: OpenOptions, parse: ParseLines<T>): TailRead<T> {
    const file = openPlainFile(path, options);
    try {
      const size = file.size;
      const cached = this.entries.get(path);
      const reuse =
        cached &&
        cached.ino === file.stats.ino &&
        cached.dev === file.stats.dev &&
        size >= cached.end &&
        !(size === cached.size && file.stats.mtimeMs !== cached.mtimeMs) &&
        this.unchanged(file, cached);
      const from = reuse ? cached.end : 0;
      const tail = readRange(file, from, size - from);
      const lastNewline = tail.lastIndexOf(NEWLINE);
      const complete = lastNewline >= 0 ? tail.subarray(0, lastNewline + 1) : tail.subarray(0, 0);
      const rest = tail.subarray(complete.length);
      const firstLine = (reuse ? cached.lines : 0) + 1;
      const items: T[] = [];
      const warnings: StoreWarning[] = [];
      if (complete.length) parse(complete, firstLine, items, warnings);
      const lines = (reuse ? cached.lines : 0) + countNewlines(complete);
      const kept: Entry<T> = {
        ino: file.stats.ino,
        dev: file.stats.dev,
        size,
        mtimeMs: file.stats.mtimeMs,
        end: from + complete.length,
        lines,
        head: reuse ? cached.head : Buffer.from(tail.subarray(0, Math.min(CHECK_BYTES, complete.length))),
        before: Buffer.from(lastBytes(reuse ? cached.before : Buffer.alloc(0), complete, CHECK_BYTES)),
        items: reuse ? cached.items.concat(items) : items,
        warnings: reuse ? cached.warnings.concat(warnings) : warnings,
      };
      this.remember(path, kept, size);
      // The unfinished last line counts in this answer only.
      const partItems: T[] = [];
      const partWarnings: StoreWarning[] = [];
      if (rest.length) parse(rest, lines + 1, partItems, partWarnings);
      return {
        items: partItems.length ? kept.items.concat(partItems) : kept.items.slice(),
        warnings: partWarnings.length ? kept.warnings.concat(partWarnings) : kept.warnings.slice(),
        from,
        size,
      };
    } finally {
      file.close();
    }
  }

  forget(path: string): void {
    const entry = this.entries.get(path);
    if (!entry) return;
    this.bytes -= entry.end;
    this.entries.delete(path);
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  /** The file's first bytes and the bytes before the offset are still the ones read. */
  private unchanged(file: OpenedFile, entry: Entry<T>): boolean {
    if (entry.end === 0) return true;
    const head = readRange(file, 0, entry.head.length);
    if (!head.equals(entry.head)) return false;
    const before = readRange(file, entry.end - entry.before.length, entry.before.length);
    return before.equals(entry.before);
  }

  private remember(path: string, entry: Entry<T>, size: number): void {
    this.forget(path);
    if (size > this.maxBytes) return;
    this.entries.set(path, entry);
    this.bytes += entry.end;
    for (const [oldest, old] of this.entries) {
      if (this.bytes <= this.maxBytes || oldest === path) break;
      this.bytes -= old.end;
      this.entries.delete(oldest);
    }
  }
}

function countNewlines(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(NEWLINE); at >= 0; at = bytes.indexOf(NEWLINE, at + 1)) count++;
  return count;
}

/** The last `n` bytes of `earlier` followed by `later`. */
function lastBytes(earlier: Buffer, later: Buffer, n: number): Buffer {
  if (later.length >= n) return later.subarray(later.length - n);
  const joined = Buffer.concat([earlier, later]);
  return joined.subarray(Math.max(0, joined.length - n));
}
