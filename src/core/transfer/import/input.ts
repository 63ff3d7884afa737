import { resolve } from 'node:path';
import { FileAccessError } from '../../files/errors';
import { kindOf, statPath, statRegularFile } from '../../files/kind';
import { readFileHead } from '../../files/read';
import { sidecarWhat, sqliteSidecarOwner } from '../../files/sidecar';
import { UnknownStoreError, openStore } from '../../scan/discover';
import type { OpenOptions } from '../../adapters/adapter';
import type { StoreLayout } from '../../stores/layout';
import { sqliteFileKind } from '../../sqlite/probe';
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

export interface InputOptions {
  /** The layouts Arbor knows: a store of any of them is read as a store-to-store copy. */
  layouts: readonly StoreLayout[];
  sessionIds?: readonly string[];
  /** How a store input is opened (the column mapping of a mapped source). */
  open?: OpenOptions;
}

export function openImportInput(path: string, options: InputOptions): ImportInput {
  const full = resolve(path);
  let isDir: boolean;
  try {
    isDir = kindOf(statPath(full)) === 'directory';
  } catch (error) {
    if (error instanceof FileAccessError && error.refusal === 'missing') throw new InterchangeError(full, null, 'no such file or folder');
    throw error;
  }
  if (isDir) return storeInput(full, options.layouts, options.sessionIds, options.open);
  const owner = sqliteSidecarOwner(full);
  if (owner) throw new InterchangeError(full, null, `the SQLite ${sidecarWhat(full)} of ${owner}, not something to import; import ${owner}`);
  // SQLite is asked first what the file is (see sqlite/probe.ts): a store is read through SQLite only.
  const kind = sqliteFileKind(full, statRegularFile(full).size);
  if (kind === 'database') return storeInput(full, options.layouts, options.sessionIds, options.open);
  const head = kind === 'empty' ? Buffer.alloc(0) : readFileHead(full, HEAD_BYTES);
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  const firstLine = text.split('\n', 1)[0];
  const isJsonExport = /^\s*\{\s*"arbor"\s*:\s*"export"/.test(text) || (!isJsonLine(firstLine) && /"arbor"\s*:\s*"export"/.test(text));
  const isJsonLines = /^\s*\{\s*"arbor"\s*:\s*"session"/.test(text);
  // A file store of a layout Arbor reads (a chat export, an agent CLI's transcript) is copied store-to-store.
  if (!isJsonExport && !isJsonLines) {
    const store = tryStoreInput(full, options);
    if (store) return store;
  }
  if (options.sessionIds?.length) throw new InterchangeError(full, null, 'choosing sessions by id works for store-to-store copies; an export file is imported whole');
  if (isJsonExport) {
    return { kind: 'json', path: full, sessions: () => readInterchangeJson(full), count: () => null, close: () => undefined };
  }
  if (text.trimStart() === '' || text.trimStart().startsWith('{')) {
    return { kind: 'jsonl', path: full, sessions: () => readInterchangeJsonl(full), count: () => null, close: () => undefined };
  }
  throw new InterchangeError(full, 1, 'not an Arbor export (JSON lines or a JSON document) and not a session store Arbor knows');
}

/** A store at `path` when one of the layouts recognises it; null when none does (then it may be an export). */
function tryStoreInput(path: string, options: InputOptions): ImportInput | null {
  try {
    return storeInput(path, options.layouts, options.sessionIds, options.open);
  } catch (error) {
    if (error instanceof UnknownStoreError) return null;
    throw error;
  }
}

function storeInput(path: string, layouts: readonly StoreLayout[], selection: readonly string[] | undefined, open: OpenOptions = {}): ImportInput {
  const source = openStore(path, layouts, open);
  const reader = new StoreReader(source, layouts);
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
