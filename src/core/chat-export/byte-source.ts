import { readSync, statSync, type Stats } from 'node:fs';
import { openPlainFile } from '../files/open';

/**
 * Every file-system call the chat-export readers make, in one place: a stat first (regular files
 * only, so a FIFO or a device is never opened and read forever), then positional reads of an fd
 * that lives only as long as one operation, opened through Arbor's file module (src/core/files:
 * regular files only, never a SQLite file). Nothing here writes; nothing else in these readers
 * touches `node:fs`.
 */

/** Bytes of something that can be read at any position: a file, a zip entry, an inflated buffer. */
export interface ByteSource {
  readonly size: number;
  /** The bytes [position, position + length), clipped at the end; a fresh buffer or a stable view. */
  read(position: number, length: number): Buffer;
  close(): void;
}

export interface FileStamp {
  size: number;
  mtimeMs: number;
}

export class NotARegularFileError extends Error {
  constructor(path: string, what: string) {
    super(`${path} is ${what}, not a regular file; Arbor reads exports from regular files only`);
    this.name = 'NotARegularFileError';
  }
}

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a pipe';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** Size and mtime of a regular file; throws for anything else. */
export function stampOf(path: string): FileStamp {
  const stat = statSync(path);
  if (!stat.isFile()) throw new NotARegularFileError(path, kindOf(stat));
  return { size: stat.size, mtimeMs: stat.mtimeMs };
}

/** Null when the file is gone or no longer a regular file (the caller says so). */
export function stampOrNull(path: string): FileStamp | null {
  try {
    return stampOf(path);
  } catch {
    return null;
  }
}

export function sameStamp(a: FileStamp | null, b: FileStamp | null): boolean {
  return a !== null && b !== null && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/** Opens a regular file for positional reads; the size is the one seen when it was opened. */
export function openFileBytes(path: string): ByteSource {
  stampOf(path);
  const file = openPlainFile(path);
  const { fd, size } = file;
  let open = true;
  return {
    size,
    read(position, length) {
      if (!open) throw new Error(`${path}: read after close`);
      const want = Math.max(0, Math.min(length, size - position));
      const buf = Buffer.allocUnsafe(want);
      let done = 0;
      while (done < want) {
        const n = readSync(fd, buf, done, want - done, position + done);
        if (n === 0) break; // The file shrank under us: return what is there.
        done += n;
      }
      return done === want ? buf : buf.subarray(0, done);
    },
    close() {
      if (open) file.close();
      open = false;
    },
  };
}

/** A buffer (an inflated zip entry) as a byte source: reads are views, free and stable. */
export function bufferBytes(buffer: Buffer): ByteSource {
  return {
    size: buffer.length,
    read: (position, length) => buffer.subarray(Math.max(0, position), Math.min(buffer.length, position + length)),
    close() {},
  };
}

/** A window of another source (a stored zip entry inside its archive). */
export function sliceBytes(base: ByteSource, offset: number, size: number): ByteSource {
  return {
    size,
    read: (position, length) => base.read(offset + position, Math.max(0, Math.min(length, size - position))),
    close: () => base.close(),
  };
}
