import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/**
 * A file's lines, read in chunks, synchronously: imports write inside one SQLite transaction, which
 * cannot wait on a promise, and a chunked read keeps a multi-gigabyte export out of memory. Lines are
 * numbered from 1; a '\r' before the newline is dropped; a last line without a newline is still a line.
 */
const CHUNK = 1 << 20;

export function* readLines(path: string): Generator<{ line: number; text: string }> {
  const fd = openSync(path, 'r');
  try {
    const decoder = new StringDecoder('utf8');
    const buffer = Buffer.alloc(CHUNK);
    let pending = '';
    let line = 0;
    for (;;) {
      const read = readSync(fd, buffer, 0, CHUNK, null);
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
    closeSync(fd);
  }
}

function stripCr(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}
