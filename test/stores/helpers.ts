import { cpSync, chmodSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { StoreSource } from '../../src/core/adapters/adapter';
import { plainText } from '../../src/core/model/content';
import type { MessageNode } from '../../src/core/model/types';
import { discoverSources } from '../../src/core/catalog';
import { buildSessionTree, type SessionTree } from '../../src/core/tree/session-tree';
import { pathTo } from '../../src/core/tree/tree-index';
import { tempDir } from '../fixtures/tmp';

/** Shared by the store-layout tests: a private cache folder, samples copied out, what a user sees. */

export function useTempCache(): void {
  let previous: string | undefined;
  beforeAll(() => {
    previous = process.env.ARBOR_CACHE_DIR;
    process.env.ARBOR_CACHE_DIR = join(tempDir('arbor-cache-'), 'cache');
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.ARBOR_CACHE_DIR;
    else process.env.ARBOR_CACHE_DIR = previous;
  });
}

/** The real samples beside the project (`../shared/samples`; a worktree sits one level deeper). */
const ROOT = join(import.meta.dirname, '..', '..');
export const samplesRoot =
  [process.env.ARBOR_SAMPLES, join(ROOT, '..', 'shared', 'samples'), join(ROOT, '..', '..', 'shared', 'samples')].find(
    (p): p is string => p !== undefined && existsSync(p),
  ) ?? null;

/** Copies a sample folder (read-only on disk) into `dest`, writable, so nothing touches the original. */
export function copySample(name: string, dest: string, files?: readonly string[]): string {
  if (!samplesRoot) throw new Error('the samples folder (../shared/samples) is not there');
  const from = join(samplesRoot, name);
  for (const file of files ?? readdirSync(from).filter((f) => f !== 'SOURCE.txt')) {
    cpSync(join(from, file), join(dest, file));
    chmodSync(join(dest, file), 0o644);
  }
  return dest;
}

export function openOne(path: string): StoreSource {
  const found = discoverSources([path]);
  if (found.sources.length !== 1) throw new Error(`expected one source at ${path}, found ${found.sources.length}: ${JSON.stringify(found.warnings)}`);
  return found.sources[0];
}

export function treeOf(source: StoreSource, id: string): SessionTree {
  const loaded = source.loadSession(id);
  if (!loaded) throw new Error(`no session ${id}`);
  return buildSessionTree(loaded);
}

/** The active branch, root to leaf, as the transcript shows it. */
export function activePath(tree: SessionTree): MessageNode[] {
  return tree.activeLeaf < 0 ? [] : pathTo(tree.index, tree.activeLeaf).map((i) => tree.index.nodes[i]);
}

/** What the user typed: user messages that carry no mark, as text. */
export function prompts(messages: readonly MessageNode[]): string[] {
  return messages.filter((m) => m.role === 'user' && !m.marks?.length).map((m) => plainText(m.content));
}

export function toolIds(messages: readonly MessageNode[]): { calls: string[]; results: string[] } {
  const calls: string[] = [];
  const results: string[] = [];
  for (const m of messages)
    for (const b of m.content) {
      if (b.type === 'tool_call' && b.id) calls.push(b.id);
      if (b.type === 'tool_result' && b.toolCallId) results.push(b.toolCallId);
    }
  return { calls, results };
}

export function mtimeOf(path: string): number {
  return statSync(path).mtimeMs;
}
