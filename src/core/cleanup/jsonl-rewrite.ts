import { appendFileSync, closeSync, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { treeMessageFromRecord } from '../jsonl/tree-message';
import { commitTemp, removeQuietly, writeTempBeside } from '../safety/atomic-write';
import { ConcurrentChangeError } from './errors';

/**
 * Removes messages from a `messages.jsonl` that a backend may be appending to. Lines are filtered as
 * bytes (kept lines stay byte for byte, unreadable lines included), the result goes to a temp file,
 * and just before the rename the file is checked: if it grew (or was replaced), the rewrite is
 * dropped and done once more from the grown file, which keeps the appended lines; if it grows
 * again, nothing is changed and the caller is told. An append that lands in the old file in the
 * instant between the check and the rename is still caught: the old file stays open, and whatever
 * reaches it after the check is copied onto the new one. (The seed-001 backend opens the file for
 * each append, so after the rename its next append goes to the new file by itself.)
 */

export interface RewriteResult {
  /** Distinct message ids whose lines were removed. */
  droppedIds: Set<string>;
  droppedLines: number;
  /** Bytes appended by someone else during the rewrite, all kept. */
  appendedBytes: number;
}

/** How long, after the rename, Arbor watches the old file for an append that was already under way. */
const SETTLE_MS = [0, 10, 40];

export async function rewriteJsonl(file: string, dropId: (id: string) => boolean, onCommit: () => void): Promise<RewriteResult> {
  let appendedBytes = 0;
  let firstSize: number | null = null;
  for (let attempt = 1; attempt <= 2; attempt++) {
    const fd = openSync(file, 'r');
    try {
      const before = fstatSync(fd);
      firstSize ??= before.size;
      appendedBytes = before.size - firstSize;
      const data = readAt(fd, 0, before.size);
      const { kept, droppedIds, droppedLines } = filterLines(data, dropId);
      if (droppedLines === 0) return { droppedIds, droppedLines, appendedBytes };
      const temp = writeTempBeside(file, kept);
      if (changed(before, file)) {
        removeQuietly(temp);
        continue;
      }
      commitTemp(temp, file);
      onCommit();
      appendedBytes += await carryOverLateAppends(fd, before.size, file);
      return { droppedIds, droppedLines, appendedBytes };
    } finally {
      closeSync(fd);
    }
  }
  throw new ConcurrentChangeError(
    `${file} kept growing while Arbor rewrote it (the backend is appending to it); nothing was changed and every appended line is kept. Try again when the session is idle.`,
  );
}

function changed(before: Stats, file: string): boolean {
  const now = statSync(file);
  return now.ino !== before.ino || now.size !== before.size || now.mtimeMs !== before.mtimeMs;
}

async function carryOverLateAppends(oldFd: number, checkedSize: number, file: string): Promise<number> {
  let copied = checkedSize;
  for (const wait of SETTLE_MS) {
    if (wait) await new Promise((resolve) => setTimeout(resolve, wait));
    const size = fstatSync(oldFd).size;
    if (size > copied) {
      appendFileSync(file, readAt(oldFd, copied, size - copied));
      copied = size;
    }
  }
  return copied - checkedSize;
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  let read = 0;
  while (read < length) {
    const n = readSync(fd, buf, read, length - read, position + read);
    if (n === 0) break;
    read += n;
  }
  return buf.subarray(0, read);
}

/**
 * Drops the lines whose message id (as the reader derives it, see treeMessageFromRecord) is chosen;
 * blank lines, lines that are not JSON and a last line still being written are kept as they are.
 */
export function filterLines(data: Buffer, dropId: (id: string) => boolean): { kept: Buffer; droppedIds: Set<string>; droppedLines: number } {
  const parts: Buffer[] = [];
  const droppedIds = new Set<string>();
  let droppedLines = 0;
  let start = 0;
  for (let line = 1; start < data.length; line++) {
    const nl = data.indexOf(0x0a, start);
    const end = nl < 0 ? data.length : nl + 1;
    const id = recordId(data.subarray(start, nl < 0 ? data.length : nl), line);
    if (id !== null && dropId(id)) {
      droppedIds.add(id);
      droppedLines++;
    } else {
      parts.push(data.subarray(start, end));
    }
    start = end;
  }
  return { kept: Buffer.concat(parts), droppedIds, droppedLines };
}

function recordId(bytes: Buffer, line: number): string | null {
  const text = bytes.toString('utf8');
  if (text.trim() === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  return treeMessageFromRecord(value, line, [])?.id ?? null;
}
