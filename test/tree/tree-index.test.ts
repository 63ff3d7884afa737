import { describe, expect, it } from 'vitest';
import type { MessageNode } from '../../src/core/model/types';
import { compressTree, segmentNodes } from '../../src/core/tree/compress';
import { buildTreeIndex, childrenOf, defaultActiveLeaf, pathTo } from '../../src/core/tree/tree-index';

function node(id: string, parentId: string | null, timestamp: number | null = null): MessageNode {
  return { id, parentId, role: 'user', kind: 'user', timestamp, content: [], metadata: null, location: {}, raw: null };
}
const ids = (index: ReturnType<typeof buildTreeIndex>, list: Iterable<number>) => [...list].map((i) => index.nodes[i].id);

describe('tree index', () => {
  it('finds roots, forks, leaves and children in store order', () => {
    const index = buildTreeIndex([node('q', null, 1), node('a1', 'q', 2), node('a2', 'q', 3), node('f', 'a1', 4), node('a3', 'q', 5), node('s', null, 0)]);
    expect(ids(index, index.roots)).toEqual(['q', 's']);
    expect(ids(index, index.forks)).toEqual(['q']);
    expect(ids(index, index.leaves)).toEqual(['a2', 'f', 'a3', 's']);
    expect(ids(index, childrenOf(index, index.indexOf.get('q')!))).toEqual(['a1', 'a2', 'a3']);
    expect(ids(index, index.preorder)).toEqual(['q', 'a1', 'f', 'a2', 'a3', 's']);
    expect(index.siblingPosition[index.indexOf.get('a3')!]).toBe(2);
    expect(index.depth[index.indexOf.get('f')!]).toBe(2);
    expect(index.warnings).toEqual([]);
  });

  it('picks the newest leaf by time, then by store order, and honours a store pointer', () => {
    const index = buildTreeIndex([node('q', null, 1), node('a1', 'q', 9), node('a2', 'q', 5), node('b', 'a2', 6)]);
    expect(index.nodes[defaultActiveLeaf(index, null)].id).toBe('a1');
    expect(index.nodes[defaultActiveLeaf(index, 'a2')].id).toBe('b');
    expect(index.nodes[defaultActiveLeaf(index, 'nope')].id).toBe('a1');
    const untimed = buildTreeIndex([node('x', null), node('y', 'x'), node('z', 'x')]);
    expect(untimed.nodes[defaultActiveLeaf(untimed, null)].id).toBe('z');
    expect(defaultActiveLeaf(buildTreeIndex([]), null)).toBe(-1);
  });

  it('shows orphans as roots and flags them', () => {
    const index = buildTreeIndex([node('a', null), node('b', 'gone'), node('c', 'b')]);
    expect(ids(index, index.roots)).toEqual(['a', 'b']);
    expect(ids(index, index.orphans)).toEqual(['b']);
    expect(index.warnings.map((w) => [w.code, w.messageId])).toEqual([['orphan', 'b']]);
  });

  it('breaks parent cycles at their earliest member and never loops', () => {
    const index = buildTreeIndex([node('r', null), node('x', 'z'), node('y', 'x'), node('z', 'y'), node('self', 'self')]);
    expect(ids(index, index.cycleBreaks)).toEqual(['x', 'self']);
    expect(ids(index, index.roots)).toEqual(['r', 'x', 'self']);
    expect(ids(index, pathTo(index, index.indexOf.get('z')!))).toEqual(['x', 'y', 'z']);
    expect(index.warnings.filter((w) => w.code === 'cycle')).toHaveLength(2);
    expect(index.preorder.length).toBe(5);
  });

  it('keeps the first of duplicate ids and flags the rest', () => {
    const first = node('a', null, 1);
    const index = buildTreeIndex([first, node('b', 'a'), { ...node('a', null, 2), location: { line: 3 } }]);
    expect(index.nodes).toHaveLength(2);
    expect(index.nodes[0]).toBe(first);
    expect(index.warnings).toMatchObject([{ code: 'duplicate-id', messageId: 'a', line: 3 }]);
  });

  it('handles deep linear chains without recursion', () => {
    const chain = Array.from({ length: 200_000 }, (_, i) => node(`m${i}`, i ? `m${i - 1}` : null, i));
    const index = buildTreeIndex(chain);
    expect(index.depth[199_999]).toBe(199_999);
    expect(compressTree(index).segments).toHaveLength(1);
  });
});

describe('compressed tree', () => {
  it('folds linear runs into segments that end at forks and leaves', () => {
    // q → a → (b1 → c1 → d1 | b2) ; second root s → t
    const index = buildTreeIndex([node('q', null), node('a', 'q'), node('b1', 'a'), node('c1', 'b1'), node('d1', 'c1'), node('b2', 'a'), node('s', null), node('t', 's')]);
    const { segments, rootSegments, segmentOf } = compressTree(index);
    const runs = segments.map((s) => ids(index, segmentNodes(index, s)));
    expect(runs).toEqual([['q', 'a'], ['b1', 'c1', 'd1'], ['b2'], ['s', 't']]);
    expect(rootSegments).toEqual([0, 3]);
    expect(segments[0].children).toEqual([1, 2]);
    expect(segments[1].parentSegment).toBe(0);
    expect(segmentOf[index.indexOf.get('c1')!]).toBe(1);
  });

  it('makes ~60 segments of a 3,000-message tree with 30 forks', () => {
    const messages: MessageNode[] = [node('m0', null)];
    let trunk = 'm0';
    for (let i = 1; i < 3000; i++) {
      // Every 100th message forks the trunk with a one-message alternative.
      const id = `m${i}`;
      if (i % 100 === 0) messages.push(node(`alt${i}`, trunk));
      messages.push(node(id, trunk));
      trunk = id;
    }
    const index = buildTreeIndex(messages);
    expect(index.forks).toHaveLength(29);
    const { segments } = compressTree(index);
    expect(segments.length).toBe(1 + 29 * 2);
  });
});
