import { describe, expect, it } from 'vitest';
import { selectPrune } from '../../src/core/cleanup/prune';
import type { LoadedSession, MessageNode } from '../../src/core/model/types';
import { buildSessionTree } from '../../src/core/tree/session-tree';

/**
 * Trees as wide and as long as a store can make them: walks over them are loops, and no list of a
 * node's children is ever spread into a function call (V8 overflows its stack somewhere past a hundred
 * thousand arguments).
 */

function session(messages: MessageNode[]): LoadedSession {
  return {
    session: { id: 's', title: null, createdAt: null, updatedAt: null, expiresAt: null, expired: false, storedMessageCount: null, messageCount: messages.length, status: 'ok', fields: {}, warnings: [] },
    messages,
    branches: [],
    storeActiveLeafId: null,
    hasTranscript: true,
    warnings: [],
  };
}

const node = (id: string, parentId: string | null, index: number): MessageNode => ({
  id,
  parentId,
  role: 'user',
  kind: 'user',
  timestamp: index,
  content: [],
  metadata: null,
  location: { index },
  raw: null,
});

describe('wide and long trees', () => {
  it('prunes a fork of 300,000 children', () => {
    const messages = [node('root', null, 0), ...Array.from({ length: 300_000 }, (_, i) => node(`c${i}`, 'root', i + 1))];
    const tree = buildSessionTree(session(messages));
    expect(tree.index.forks).toHaveLength(1);
    expect(selectPrune(tree, 'root', 'after', false).removed).toHaveLength(300_000);
    expect(selectPrune(tree, 'root', 'subtree', false).removed).toHaveLength(300_001);
  });

  it('indexes and prunes a chain of 300,000 messages', () => {
    const messages = Array.from({ length: 300_000 }, (_, i) => node(`m${i}`, i ? `m${i - 1}` : null, i));
    const tree = buildSessionTree(session(messages));
    expect(tree.index.depth[299_999]).toBe(299_999);
    expect(selectPrune(tree, 'm1', 'subtree', true).removed).toHaveLength(299_999);
  });
});
