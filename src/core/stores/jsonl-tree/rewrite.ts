import { appendFileSync, closeSync, fstatSync, fsyncSync, readSync, statSync } from 'node:fs';
import { guardedOpenSync as openSync } from '../../files/guarded-fs';
import { treeMessageFromRecord } from '../../jsonl/tree-message';
import { commitTemp, openTempBeside, removeQuietly, writeAll } from '../../safety/atomic-write';
import { fileOp } from '../../safety/crash-point';
import { ConcurrentChangeError } from '../../cleanup/errors';

/**
 * Removes messages from a `messages.jsonl` that a backend may be appending to. Lines are filtered as
 * bytes (kept lines stay byte for byte, unreadable lines included) into a temp file. Just before the
 * rename the file is looked at again: when it grew, the appended tail is read and added to the temp
 * file as it is, and the check is repeated, so every appended line is kept. When the file was
 * replaced or shrank (someone else rewrote it), or keeps growing faster than Arbor catches up, the
 * temp file is dropped; the rewrite is tried once more from the file as it is then, and after that
 * nothing is changed and the caller is told. An append that lands in the old file in the instant
 * between the last check and the rename is still caught: the old file stays open, and whatever
 * reaches it afterwards is copied onto the new one. (The seed-001 backend opens the file for each
 * append, so after the rename its next append goes to the new file by itself.)
 */

export interface RewriteResult {
  /** Distinct message ids whose lines were removed. */
  droppedIds: Set<string>;
  droppedLines: number;
  /** Bytes appended by someone else during the rewrite, all kept. */
  appendedBytes: number;
}

/** Rounds of catching up with appends before an attempt gives up. */
const CATCH_UP_ROUNDS = 50;
/** How long, after the rename, Arbor watches the old file for an append that was already under way. */
const SETTLE_MS = [0, 10, 40];

export interface RewriteHooks {
  /** Where the temp file goes (Arbor's staging folder in the store); default: beside the file. */
  tempDir?: string;
  /**
   * Called once the new file is complete and flushed, just before it is renamed over the old one,
   * with the ids that go and how many bytes of the old file it holds (the prune's journal is written here).
   */
  beforeCommit?: (droppedIds: ReadonlySet<string>, checkedSize: number) => void;
}

export async function rewriteJsonl(file: string, dropId: (id: string) => boolean, onCommit: () => void, hooks: RewriteHooks = {}): Promise<RewriteResult> {
  for (let attempt = 1; attempt <= 2; attempt++) {
    const fd = openSync(file, 'r');
    try {
      const before = fstatSync(fd);
      const { kept, droppedIds, droppedLines } = filterLines(readAt(fd, 0, before.size), dropId);
      if (droppedLines === 0) return { droppedIds, droppedLines, appendedBytes: 0 };
      const temp = openTempBeside(file, { dir: hooks.tempDir });
      let size = before.size;
      let ready = false;
      try {
        writeAll(temp.fd, kept);
        for (let round = 0; round < CATCH_UP_ROUNDS; round++) {
          const now = statSync(file);
          if (now.ino !== before.ino || now.size < size) break;
          if (now.size > size) {
            writeAll(temp.fd, readAt(fd, size, now.size - size));
            size = now.size;
            continue;
          }
          fsyncSync(temp.fd);
          // Looked at again after the flush, which takes a while: anything that arrived meanwhile is caught up first.
          if (statSync(file).size === size) {
            ready = true;
            break;
          }
        }
      } finally {
        closeSync(temp.fd);
      }
      if (!ready) {
        removeQuietly(temp.path);
        continue;
      }
      try {
        hooks.beforeCommit?.(droppedIds, size);
      } catch (error) {
        removeQuietly(temp.path);
        throw error;
      }
      commitTemp(temp.path, file);
      onCommit();
      const late = await carryOverLateAppends(fd, size, file);
      return { droppedIds, droppedLines, appendedBytes: size - before.size + late };
    } finally {
      closeSync(fd);
    }
  }
  throw new ConcurrentChangeError(
    `${file} kept changing while Arbor rewrote it (the backend is writing to it); nothing was changed and every appended line is kept. Try again when the session is idle.`,
  );
}

async function carryOverLateAppends(oldFd: number, checkedSize: number, file: string): Promise<number> {
  let copied = checkedSize;
  for (const wait of SETTLE_MS) {
    if (wait) await new Promise((resolve) => setTimeout(resolve, wait));
    const size = fstatSync(oldFd).size;
    if (size > copied) {
      const late = readAt(oldFd, copied, size - copied);
      fileOp(`append ${late.length} late byte(s) to ${file}`, () => appendFileSync(file, late));
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
