import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { openStore } from '../../scan/discover';
import { isSqliteHeader } from '../../sqlite/open';
import { SessionNotFoundError } from '../export/export';
import { StoreReader } from '../export/from-store';
import { InterchangeError } from '../interchange/errors';
import { readInterchangeJson } from '../interchange/read-json';
import { readInterchangeJsonl } from '../interchange/read-jsonl';
import type { TransferSession } from '../session';

/**
 * What an import reads from: an Arbor JSON-lines or JSON export, or a store of any layout (a
 * store-to-store copy reads it exactly as an export would). Judged by content, never by file name.
 * `sessions()` starts over on every call: an import reads its input once to check and preview, and
 * once more to write, so nothing but the current session is ever held.
 */

export type InputKind = 'jsonl' | 'json' | 'store';

export interface ImportInput {
  readonly kind: InputKind;
  readonly path: string;
  sessions(): Iterable<TransferSession>;
  /** Sessions to expect, when known before reading (stores). */
  count(): number | null;
  close(): void;
}

const HEAD_BYTES = 64 * 1024;

export function openImportInput(path: string, options: { sessionIds?: readonly string[] } = {}): ImportInput {
  const full = resolve(path);
  let isDir: boolean;
  try {
    isDir = statSync(full).isDirectory();
  } catch {
    throw new InterchangeError(full, null, 'no such file or folder');
  }
  const head = isDir ? null : readHead(full);
  if (isDir || (head && isSqliteHeader(head))) return storeInput(full, options.sessionIds);
  if (options.sessionIds?.length) throw new InterchangeError(full, null, 'choosing sessions by id works for store-to-store copies; an export file is imported whole');
  const text = head!.toString('utf8').replace(/^\uFEFF/, '');
  const firstLine = text.split('\n', 1)[0];
  if (/^\s*\{\s*"arbor"\s*:\s*"export"/.test(text) || (!isJsonLine(firstLine) && /"arbor"\s*:\s*"export"/.test(text))) {
    return { kind: 'json', path: full, sessions: () => readInterchangeJson(full), count: () => null, close: () => undefined };
  }
  if (text.trimStart() === '' || text.trimStart().startsWith('{')) {
    return { kind: 'jsonl', path: full, sessions: () => readInterchangeJsonl(full), count: () => null, close: () => undefined };
  }
  throw new InterchangeError(full, 1, 'not an Arbor export (JSON lines or a JSON document) and not a session store Arbor knows');
}

function storeInput(path: string, selection: readonly string[] | undefined): ImportInput {
  const source = openStore(path);
  const reader = new StoreReader(source);
  const missing = selection?.filter((id) => !reader.has(id)) ?? [];
  if (missing.length) {
    reader.close();
    source.close();
    throw new SessionNotFoundError(`no session ${missing.map((id) => `"${id}"`).join(', ')} in ${path}`);
  }
  return {
    kind: 'store',
    path,
    *sessions() {
      for (const id of reader.ids(selection)) {
        const session = reader.load(id);
        if (session) yield session;
      }
    },
    count: () => reader.count(selection),
    close() {
      reader.close();
      source.close();
    },
  };
}

function isJsonLine(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

function readHead(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    return buffer.subarray(0, readSync(fd, buffer, 0, HEAD_BYTES, 0));
  } finally {
    closeSync(fd);
  }
}
