import type { StoreSource } from '../adapters/adapter';
import { compressTree, type CompressedTree } from '../tree/compress';
import { buildSessionTree, type SessionTree } from '../tree/session-tree';

/** A session as the service holds it while the user looks at it. */
export interface OpenSession {
  tree: SessionTree;
  compressed: CompressedTree;
  /** The leaf the user chose (node number); starts at the default. */
  activeLeaf: number;
}

/**
 * Keeps the few most recently viewed sessions indexed, so switching branches or expanding a graph
 * node does not re-read the store. Opening a session always re-reads it, so what is shown is fresh.
 */
export class SessionCache {
  private readonly entries = new Map<string, OpenSession>();

  constructor(private readonly capacity = 8) {}

  load(sourceId: string, source: StoreSource, sessionId: string): OpenSession | null {
    const loaded = source.loadSession(sessionId);
    if (!loaded) return null;
    const tree = buildSessionTree(loaded);
    const previous = this.entries.get(key(sourceId, sessionId));
    let activeLeaf = tree.activeLeaf;
    // Keep the user's branch across a reload when that message still exists.
    if (previous && previous.activeLeaf >= 0) {
      const kept = tree.index.indexOf.get(previous.tree.index.nodes[previous.activeLeaf].id);
      if (kept !== undefined) activeLeaf = tree.index.newestLeaf[kept];
    }
    // A message a subagent lane hangs under ends its run, so the graph draws the lane right there.
    const laneParents = tree.lanes.byParent;
    const endsRun = laneParents.size ? (node: number) => laneParents.has(tree.index.nodes[node].id) : undefined;
    const entry: OpenSession = { tree, compressed: compressTree(tree.index, endsRun), activeLeaf };
    this.remember(key(sourceId, sessionId), entry);
    return entry;
  }

  get(sourceId: string, source: StoreSource, sessionId: string): OpenSession | null {
    const k = key(sourceId, sessionId);
    const hit = this.entries.get(k);
    if (hit) {
      this.remember(k, hit);
      return hit;
    }
    return this.load(sourceId, source, sessionId);
  }

  forgetSource(sourceId: string): void {
    for (const k of [...this.entries.keys()]) if (k.startsWith(`${sourceId}\u0000`)) this.entries.delete(k);
  }

  private remember(k: string, entry: OpenSession): void {
    this.entries.delete(k);
    this.entries.set(k, entry);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}

const key = (sourceId: string, sessionId: string) => `${sourceId}\u0000${sessionId}`;
