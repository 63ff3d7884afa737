import { closeSync, createReadStream, fsyncSync, openSync, readSync, writeSync, type ReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { FileAccessError } from './errors';
import { formatBytes } from './limits';
import { openPlainFile, type OpenedFile, type OpenOptions } from './open';

/** Reads of plain files, every one through openPlainFile (see open.ts for the checks). */

const CHUNK = 1 << 20;

/** The whole file, to its end (a file that grows while being read is read to where it ends then). */
export function readFileBytes(path: string, options: OpenOptions = {}): Buffer {
  const file = openPlainFile(path, options);
  try {
    return readAll(file, path, options);
  } finally {
    file.close();
  }
}

export function readTextFile(path: string, options: OpenOptions = {}): string {
  return readFileBytes(path, options).toString('utf8');
}

/** Reads to the end: one buffer of the size at open; more chunks only if the file grew since. */
function readAll(file: OpenedFile, path: string, options: OpenOptions): Buffer {
  const first = Buffer.allocUnsafe(file.size);
  let filled = 0;
  while (filled < file.size) {
    const read = readSync(file.fd, first, filled, file.size - filled, filled);
    if (read <= 0) break;
    filled += read;
  }
  const chunks: Buffer[] = [first.subarray(0, filled)];
  let total = filled;
  if (filled === file.size) {
    for (;;) {
      const buffer = Buffer.allocUnsafe(CHUNK);
      const read = readSync(file.fd, buffer, 0, CHUNK, total);
      if (read <= 0) break;
      chunks.push(buffer.subarray(0, read));
      total += read;
      if (options.limit !== undefined && total > options.limit) {
        throw new FileAccessError(path, 'too-large', `${path} grew beyond ${formatBytes(options.limit)} while Arbor read it; Arbor reads ${options.what ?? 'such files'} up to that size`);
      }
    }
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
}

/** The first `bytes` bytes (what detection judges file content by). */
export function readFileHead(path: string, bytes: number): Buffer {
  const file = openPlainFile(path);
  try {
    return readRange(file, 0, bytes);
  } finally {
    file.close();
  }
}

/** `length` bytes from `start` of a file opened by openPlainFile; fewer where the file ends first. */
export function readRange(file: OpenedFile, start: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(Math.max(0, length));
  let done = 0;
  while (done < length) {
    const n = readSync(file.fd, buffer, done, length - done, start + done);
    if (n <= 0) break;
    done += n;
  }
  return done === length ? buffer : buffer.subarray(0, done);
}

/**
 * A file's lines, read in chunks, synchronously (imports write inside one SQLite transaction, which
 * cannot wait on a promise; chunks keep a multi-gigabyte export out of memory). Lines are numbered
 * from 1; a '\r' before the newline is dropped; a last line without a newline is still a line.
 */
export function* readFileLines(path: string): Generator<{ line: number; text: string }> {
  const file = openPlainFile(path);
  try {
    const decoder = new StringDecoder('utf8');
    const buffer = Buffer.alloc(CHUNK);
    let pending = '';
    let line = 0;
    for (;;) {
      const read = readSync(file.fd, buffer, 0, CHUNK, null);
      const text = read > 0 ? pending + decoder.write(buffer.subarray(0, read)) : pending + decoder.end();
      let start = 0;
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
        line++;
        yield { line, text: stripCr(text.slice(start, end)) };
        start = end + 1;
      }
      pending = text.slice(start);
      if (read === 0) break;
    }
    if (pending !== '') yield { line: line + 1, text: stripCr(pending) };
  } finally {
    file.close();
  }
}

function stripCr(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

/**
 * Copies a plain file into a new file `dest` (created, never overwritten), exactly the bytes it had
 * when opened: a backend appending meanwhile does not leave half a line in the copy. Flushed to disk.
 */
export function copyPlainFile(source: string, dest: string, mode?: number): number {
  const file = openPlainFile(source);
  try {
    const out = openSync(dest, 'wx', mode ?? (file.stats.mode & 0o777));
    try {
      const buffer = Buffer.allocUnsafe(CHUNK);
      let done = 0;
      while (done < file.size) {
        const read = readSync(file.fd, buffer, 0, Math.min(CHUNK, file.size - done), done);
        if (read <= 0) break;
        let written = 0;
        while (written < read) written += writeSync(out, buffer, written, read - written);
        done += read;
      }
      fsyncSync(out);
      return done;
    } finally {
      closeSync(out);
    }
  } finally {
    file.close();
  }
}

/** A stream of a plain file (the HTTP transport's static files and downloads). */
export function openPlainReadStream(path: string): ReadStream {
  const file = openPlainFile(path);
  return createReadStream('', { fd: file.fd, autoClose: true });
}
