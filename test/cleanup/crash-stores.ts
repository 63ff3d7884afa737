import { join } from 'node:path';
import type { CleanupOperation } from '../../src/core/cleanup/types';
import { JsonlTreeStore, type TreeMessage } from '../fixtures/jsonl-tree';
import { createChatHistoryStore } from '../fixtures/sqlite-chat-history';
import { createJsonHistoryStore } from '../fixtures/sqlite-json-history';
import { createTenantMessagesStore } from '../fixtures/sqlite-tenant-messages';
import { FIXED_NOW } from '../fixtures/tmp';

/**
 * The stores the crash and concurrency trials run on: big enough that a cleanup takes tens of
 * milliseconds (so a random kill lands in the backup, the write or the commit), small enough to
 * copy for every trial.
 */

export interface Scenario {
  name: string;
  kind: 'sqlite' | 'folder';
  /** Builds the store inside `dir`; returns its path. */
  build(dir: string): string;
  op: CleanupOperation;
  /** Folder stores: the sessions the operation chooses (their files may change); everything else must not. */
  chosen?: string[];
}

const TEXT = 'lorem ipsum dolor sit amet, consectetur adipiscing elit; '.repeat(8);

export const SCENARIOS: Scenario[] = [
  {
    name: 'chat-history: delete 120 of 300 sessions (rollback journal)',
    kind: 'sqlite',
    build(dir) {
      const s = createChatHistoryStore({ dir });
      s.db.transaction(() => {
        for (let i = 0; i < 300; i++) s.addSession({ id: `s${i}` }, Array.from({ length: 12 }, (_, k) => ({ role: k % 2 ? 'assistant' : 'user', content: `${i}/${k} ${TEXT}` })));
      })();
      s.close();
      return s.path;
    },
    op: { kind: 'delete-sessions', sessionIds: Array.from({ length: 120 }, (_, i) => `s${i * 2}`) },
  },
  {
    name: 'json-history: delete expired (WAL)',
    kind: 'sqlite',
    build(dir) {
      const s = createJsonHistoryStore({ dir });
      s.db.pragma('journal_mode = WAL');
      const past = FIXED_NOW / 1000 - 86_400;
      s.db.transaction(() => {
        for (let i = 0; i < 400; i++) {
          s.add({ id: `s${i}`, messages: Array.from({ length: 10 }, (_, k) => ({ role: k % 2 ? 'assistant' : 'user', content: `${i}/${k} ${TEXT}` })), expiresAt: i % 3 === 0 ? past : past + 30 * 86_400 });
        }
      })();
      s.close();
      return s.path;
    },
    op: { kind: 'expired' },
  },
  {
    name: 'tenant-messages: delete 100 sessions (cascade)',
    kind: 'sqlite',
    build(dir) {
      const s = createTenantMessagesStore({ dir });
      s.db.transaction(() => {
        for (let i = 0; i < 250; i++) s.session({ id: `t${i}`, tenantId: 'acme', createdAt: '2026-05-01T00:00:00.000Z' }).conversation(`t${i}`, '2026-05-01T00:00:00.000Z', Array.from({ length: 12 }, (_, k) => `${k} ${TEXT}`));
      })();
      s.close();
      return s.path;
    },
    op: { kind: 'delete-sessions', sessionIds: Array.from({ length: 100 }, (_, i) => `t${i * 2 + 1}`) },
  },
  {
    name: 'jsonl-tree: prune a subtree of a 6,000-line session',
    kind: 'folder',
    build(dir) {
      return bigTree(join(dir, 'store'));
    },
    op: { kind: 'prune', messageId: 'b0', sessionId: 'big' },
    chosen: ['big'],
  },
  {
    name: 'jsonl-tree: delete 40 of 80 sessions',
    kind: 'folder',
    build(dir) {
      const s = new JsonlTreeStore(join(dir, 'store'));
      for (let i = 0; i < 80; i++) {
        s.session(`s${i}`, Array.from({ length: 40 }, (_, k) => ({ id: `m${k}`, parentId: k ? `m${k - 1}` : null, type: 'user', role: 'user', timestamp: FIXED_NOW - 1000 + k, content: TEXT })), {}, `key:${i}`);
        s.branches(`s${i}`, [{ name: 'tip', leafMessageId: 'm39', createdAt: 1, path: [] }]);
      }
      return s.root;
    },
    op: { kind: 'delete-sessions', sessionIds: Array.from({ length: 40 }, (_, i) => `s${i * 2}`) },
    chosen: Array.from({ length: 40 }, (_, i) => `s${i * 2}`),
  },
];

/** One big session: a trunk, and under root two branches b0 (pruned) and b1 (kept), 3,000 lines each. */
export function bigTree(root: string): string {
  const s = new JsonlTreeStore(root);
  const messages: TreeMessage[] = [{ id: 'root', parentId: null, type: 'user', role: 'user', timestamp: FIXED_NOW - 10_000, content: 'start' }];
  for (const b of ['b0', 'b1']) {
    let parent = 'root';
    for (let k = 0; k < 3000; k++) {
      const id = k === 0 ? b : `${b}-${k}`;
      messages.push({ id, parentId: parent, type: k % 2 ? 'user' : 'assistant', role: k % 2 ? 'user' : 'assistant', timestamp: FIXED_NOW - 9_000 + k + (b === 'b1' ? 5000 : 0), content: TEXT });
      parent = id;
    }
  }
  s.session('big', messages, {}, 'user:big');
  s.branches('big', [{ name: 'old', leafMessageId: 'b0-2999', createdAt: 1, path: [] }]);
  s.session('other', [{ id: 'o', parentId: null, type: 'user', role: 'user', timestamp: FIXED_NOW - 5, content: 'hi' }]);
  return s.root;
}
