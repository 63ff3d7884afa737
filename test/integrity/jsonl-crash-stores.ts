import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { StoreWarning } from '../../src/core/model/types';
import { openStore } from '../../src/core/catalog';
import { JsonlTreeStore, type TreeMessage } from '../fixtures/jsonl-tree';
import { exportStore } from '../transfer/helpers';
import { CRASH_NOW } from './crash-clock';

/**
 * The JSONL tree writes the crash-point trials stop at every file operation, and what an Arbor
 * reader sees of a store, as one comparable value.
 */


export interface CrashScenario {
  name: string;
  /** Builds the store (and any input) inside `dir`; returns the store and the operation for the child. */
  build(dir: string): Promise<{ store: string; op: Record<string, unknown> }>;
  /** Sessions a backend appends to after the crash (creating the folder if it is gone, as a backend may). */
  appendTo: string[];
}

let clock = CRASH_NOW - 100_000;
function chain(prefix: string, parent: string | null, n: number, text: string): TreeMessage[] {
  const out: TreeMessage[] = [];
  for (let k = 0; k < n; k++) {
    const id = `${prefix}${k}`;
    out.push({ id, parentId: k === 0 ? parent : `${prefix}${k - 1}`, type: k % 2 ? 'assistant' : 'user', role: k % 2 ? 'assistant' : 'user', timestamp: (clock += 1000), content: `${text} ${k}` });
  }
  return out;
}

export const SCENARIOS: CrashScenario[] = [
  {
    name: 'import: 2 sessions replaced, 1 new, into a store of 3',
    async build(dir) {
      const target = new JsonlTreeStore(join(dir, 'store'));
      target.session('keep', chain('k', null, 3, 'kept'), {}, 'user:keep');
      target.session('rep', [...chain('r', null, 3, 'old rep'), ...chain('ra', 'r0', 2, 'old fork')], {}, 'user:rep');
      target.branches('rep', [{ name: 'alt', leafMessageId: 'ra1', createdAt: 1, path: [] }]);
      target.session('rep2', chain('q', null, 3, 'old rep2'));
      const source = new JsonlTreeStore(join(dir, 'source'));
      source.session('rep', chain('n', null, 5, 'new rep'), {}, 'user:rep');
      source.branches('rep', [{ name: 'main', leafMessageId: 'n4', createdAt: 2, path: [] }]);
      source.session('rep2', chain('p', null, 2, 'new rep2'));
      source.branches('rep2', [{ name: 'p', leafMessageId: 'p1', createdAt: 3, path: [] }]);
      source.session('fresh', chain('f', null, 3, 'fresh'), {}, 'user:fresh');
      source.branches('fresh', [{ name: 'f', leafMessageId: 'f2', createdAt: 4, path: [] }]);
      const input = join(dir, 'input.jsonl');
      await exportStore(source.root, input);
      return { store: target.root, op: { kind: 'import', input } };
    },
    appendTo: ['rep', 'fresh'],
  },
  {
    name: 'prune: a subtree with a named branch on it',
    async build(dir) {
      const s = new JsonlTreeStore(join(dir, 'store'));
      s.session('big', [...chain('t', null, 2, 'trunk'), ...chain('b0-', 't1', 6, 'pruned'), ...chain('b1-', 't1', 6, 'kept')], {}, 'user:big');
      s.branches('big', [
        { name: 'old', leafMessageId: 'b0-5', createdAt: 1, path: [] },
        { name: 'cur', leafMessageId: 'b1-5', createdAt: 2, path: [] },
      ]);
      s.session('other', chain('o', null, 2, 'other'));
      return { store: s.root, op: { kind: 'prune', messageId: 'b0-0', sessionId: 'big' } };
    },
    appendTo: ['big'],
  },
  {
    name: 'delete: 2 of 4 sessions',
    async build(dir) {
      const s = new JsonlTreeStore(join(dir, 'store'));
      for (const id of ['d1', 'd2', 'k1', 'k2']) s.session(id, chain(`${id}-`, null, 3, id), {}, `user:${id}`);
      s.branches('d1', [{ name: 'x', leafMessageId: 'd1-2', createdAt: 1, path: [] }]);
      return { store: s.root, op: { kind: 'delete-sessions', sessionIds: ['d1', 'd2'] } };
    },
    appendTo: ['d1'],
  },
];

export interface ReaderView {
  /** Sessions as Arbor lists and loads them, backend-appended lines left out: comparable with toEqual. */
  sessions: Record<string, unknown>;
  /** Backend line ids found in the store. */
  backendLines: Set<string>;
  warnings: StoreWarning[];
}

const hash = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 12);

/** Opens the store as Arbor does (which finishes an interrupted write of its own) and reads all of it. */
export function readerView(path: string, isBackendLine: (id: string) => boolean): ReaderView {
  const source = openStore(path, { now: () => CRASH_NOW });
  try {
    const warnings = source.describe().warnings;
    const sessions: Record<string, unknown> = {};
    const backendLines = new Set<string>();
    for (const s of source.listSessions({ limit: 1000, sort: 'id', direction: 'asc' }).sessions) {
      const loaded = source.loadSession(s.id)!;
      const own = loaded.messages.filter((m) => {
        if (!isBackendLine(m.id)) return true;
        backendLines.add(m.id);
        return false;
      });
      // A folder only the backend's append made (after the session was deleted or before it was imported).
      if (own.length === 0 && s.status === 'unindexed') continue;
      sessions[s.id] = {
        status: s.status,
        storedMessageCount: s.storedMessageCount,
        createdAt: s.createdAt,
        fields: s.fields,
        messages: own.map((m) => `${m.id}:${m.parentId}:${hash(m.raw)}`),
        branches: loaded.branches.map((b) => `${b.name}->${b.leafId}`),
      };
    }
    return { sessions, backendLines, warnings };
  } finally {
    source.close();
  }
}
