import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArborService } from '../../src/core/service/arbor-service';
import { foldGraph } from '../../src/renderer/src/lib/graph-fold';
import { tempDir } from '../fixtures/tmp';

/**
 * Windows of the active path (issue 12: a 100,000-deep branch was 50 MB per activation): the length
 * and segments come whole, message bodies a window at a time; a sibling is chosen by its position;
 * the place where a new branch leaves the old one is found by the service. And the graph's overview
 * level folds short side branches into counts.
 */

/** A JSONL tree store: a trunk of `depth` messages with a two-message side branch every `every`, and a 5-way fork at the root's child. */
function treeStore(depth: number, every: number): { root: string; sessionId: string } {
  const root = join(tempDir('arbor-windows-'), 'store');
  const sessionId = 'deep';
  mkdirSync(join(root, sessionId), { recursive: true });
  const lines: string[] = [];
  let t = Date.UTC(2026, 0, 1);
  const emit = (id: string, parentId: string | null, role: string) => lines.push(JSON.stringify({ id, parentId, type: role, role, timestamp: (t += 1000), content: `text of ${id}` }));
  emit('m0', null, 'user');
  for (let i = 1; i <= 4; i++) emit(`s${i}`, 'm0', 'assistant');
  for (let i = 1; i < depth; i++) {
    const role = i % 2 ? 'assistant' : 'user';
    if (i % every === 0) {
      emit(`alt${i}`, `m${i - 1}`, role);
      emit(`alt${i}r`, `alt${i}`, role === 'user' ? 'assistant' : 'user');
    }
    emit(`m${i}`, `m${i - 1}`, role);
  }
  writeFileSync(join(root, sessionId, 'messages.jsonl'), lines.join('\n') + '\n');
  writeFileSync(join(root, 'sessions.json'), JSON.stringify({ keys: { 't:1': sessionId }, sessions: { [sessionId]: { sessionId, createdAt: 0, updatedAt: t, messageCount: lines.length } } }));
  return { root, sessionId };
}

function open(depth: number, every: number) {
  const store = treeStore(depth, every);
  const service = new ArborService({ info: { version: 'test', host: 'browser', canPickPaths: false } });
  const { opened } = service.open([store.root]);
  return { service, ref: { sourceId: opened[0].id, sessionId: store.sessionId } };
}

describe('path windows', () => {
  it('send the length and segments of a 5,000-deep path and only the window of messages asked for', async () => {
    const { service, ref } = open(5000, 100);
    await service.handlers['session.open'](ref);
    const whole = await service.handlers['session.activate']({ ...ref, messageId: null });
    const window = await service.handlers['session.activate']({ ...ref, messageId: null, window: { limit: 200, offset: 0 } });
    expect(window.length).toBe(whole.messages.length);
    expect(window.length).toBe(5000);
    expect(window.messages).toHaveLength(200);
    expect(window.messages).toEqual(whole.messages.slice(0, 200));
    expect(window.segments).toEqual([...new Set(whole.messages.map((m) => m.segment))]);
    const page = await service.handlers['session.path']({ ...ref, leafId: window.activeLeafId!, window: { offset: 4900, limit: 500 } });
    expect(page.offset).toBe(4500);
    expect(page.messages.map((m) => m.id)).toEqual(whole.messages.slice(4500, 5000).map((m) => m.id));
    expect(JSON.stringify(window).length).toBeLessThan(JSON.stringify(whole).length / 10);
  });

  it('centre on a message, or on where the new branch leaves the old one', async () => {
    const { service, ref } = open(3000, 100);
    await service.handlers['session.open'](ref);
    const trunk = await service.handlers['session.activate']({ ...ref, messageId: 'm2999', window: { limit: 100, focusId: 'm1500' } });
    expect(trunk.focusIndex).toBe(1500);
    expect(trunk.messages[trunk.focusIndex! - trunk.offset!].id).toBe('m1500');
    const side = await service.handlers['session.activate']({ ...ref, messageId: 'alt2000', window: { limit: 100, divergeFromLeafId: trunk.activeLeafId! } });
    expect(side.activeLeafId).toBe('alt2000r');
    expect(side.messages[side.focusIndex! - side.offset!].id).toBe('alt2000');
    // A message not on the path has no position on it.
    const off = await service.handlers['session.path']({ ...ref, leafId: 'alt2000r', window: { limit: 10, focusId: 'm2500' } });
    expect(off.focusIndex).toBeNull();
  });

  it('activate a sibling by its position, clamped to the siblings there are', async () => {
    const { service, ref } = open(50, 1000);
    await service.handlers['session.open'](ref);
    const third = await service.handlers['session.activate']({ ...ref, messageId: 'm1', siblingPosition: 3, window: { limit: 5, offset: 0 } });
    // Children in store order: s1…s4 were written before m1.
    expect(third.messages[1].id).toBe('s3');
    expect(third.messages[1].siblingPosition).toBe(3);
    const last = await service.handlers['session.activate']({ ...ref, messageId: 's3', siblingPosition: 99, window: { limit: 5, offset: 0 } });
    expect(last.messages[1]).toMatchObject({ id: 'm1', siblingPosition: 5, siblingCount: 5 });
  });
});

describe('the graph overview level', () => {
  it('folds short side branches into counts and merges the trunk, keeping the active branch', async () => {
    const { service, ref } = open(3000, 100);
    await service.handlers['session.open'](ref);
    const graph = await service.handlers['session.graph'](ref);
    expect(graph.segments.length).toBeGreaterThan(50);
    const trunk = await service.handlers['session.activate']({ ...ref, messageId: 'm2999', window: { limit: 1 } });
    const folded = foldGraph(graph, new Set(trunk.segments));
    // The root run, its 4 one-message siblings (short side branches fold), and the trunk as one node.
    const drawn = folded.segments.length;
    expect(drawn).toBeLessThanOrEqual(3);
    const total = folded.segments.reduce((n, s) => n + s.foldedBranches, 0);
    expect(total).toBe(graph.segments.filter((s) => s.parent >= 0 && s.children.length === 0).length - 1);
    // Every run has a node that draws or folds it.
    for (const s of graph.segments) expect(folded.nodeOf.has(s.index)).toBe(true);
    // The active branch through a side branch stays drawn.
    const side = await service.handlers['session.activate']({ ...ref, messageId: 'alt2000', window: { limit: 1 } });
    const kept = foldGraph(graph, new Set(side.segments));
    const members = new Set(kept.segments.flatMap((s) => s.members));
    for (const s of side.segments!) expect(members.has(s)).toBe(true);
  });
});
