import type { ActivePath, GraphSegment, LeafInfo, MessageDetails, PathMessage, SegmentMessage, SessionGraph, SessionOverview, ValuePath, ValueView } from '../../shared/dto';
import { segmentNodes } from '../tree/compress';
import { pathTo } from '../tree/tree-index';
import { graphLanesOf, laneNode } from './lane-views';
import { previewOf } from './previews';
import type { OpenSession } from './session-cache';
import { pageOf, viewOf } from './value-view';
import { pathMessageOf } from './path-window';

/** Turns an indexed session into the API's views: overview, active path, graph, details. */

function branchNamesByLeaf(open: OpenSession): Map<string, string[]> {
  const names = new Map<string, string[]>();
  for (const b of open.tree.branches) names.set(b.leafId, [...(names.get(b.leafId) ?? []), b.name]);
  return names;
}

export function overviewOf(open: OpenSession): SessionOverview {
  const { index, loaded } = open.tree;
  const names = branchNamesByLeaf(open);
  const leaves: LeafInfo[] = index.leaves.map((i) => {
    const m = index.nodes[i];
    return { id: m.id, depth: index.depth[i] + 1, timestamp: m.timestamp, role: m.role, preview: previewOf(m.content), branchNames: names.get(m.id) ?? [] };
  });
  return {
    session: loaded.session,
    hasTranscript: loaded.hasTranscript,
    messageCount: index.nodes.length,
    rootCount: index.roots.length,
    forkCount: index.forks.length,
    leaves,
    branches: open.tree.branches,
    activeLeafId: open.activeLeaf >= 0 ? index.nodes[open.activeLeaf].id : null,
    lanes: open.tree.lanes.lanes.map((l) => l.info),
    warnings: open.tree.warnings,
  };
}

/** The whole active path (a caller that asked for no window); each message as path-window.ts draws it. */
export function activePathOf(open: OpenSession): ActivePath {
  const { index } = open.tree;
  if (open.activeLeaf < 0) return { activeLeafId: null, messages: [] };
  const messages: PathMessage[] = pathTo(index, open.activeLeaf).map((i) => pathMessageOf(open, i));
  return { activeLeafId: index.nodes[open.activeLeaf].id, messages };
}

export function graphOf(open: OpenSession): SessionGraph {
  const { index } = open.tree;
  const names = branchNamesByLeaf(open);
  const warned = new Set(open.tree.warnings.map((w) => w.messageId).filter((x): x is string => x !== undefined));
  const segments: GraphSegment[] = open.compressed.segments.map((s) => {
    const first = index.nodes[s.firstNode];
    const last = index.nodes[s.lastNode];
    let hasWarnings = false;
    const labels: string[] = [];
    for (const v of segmentNodes(index, s)) {
      const id = index.nodes[v].id;
      if (warned.has(id)) hasWarnings = true;
      const n = names.get(id);
      if (n) labels.push(...n);
    }
    return {
      index: s.index,
      firstId: first.id,
      lastId: last.id,
      length: s.length,
      parent: s.parentSegment,
      children: s.children,
      firstRole: first.role,
      lastRole: last.role,
      firstPreview: previewOf(first.content),
      lastPreview: previewOf(last.content),
      endsAtLeaf: s.children.length === 0,
      branchNames: labels,
      lastTimestamp: last.timestamp,
      hasWarnings,
    };
  });
  return { segments, rootSegments: open.compressed.rootSegments, lanes: graphLanesOf(open) };
}

export function segmentMessagesOf(open: OpenSession, segment: number): SegmentMessage[] | null {
  const s = open.compressed.segments[segment];
  if (!s) return null;
  const { index } = open.tree;
  return [...segmentNodes(index, s)].map((v) => {
    const m = index.nodes[v];
    return { id: m.id, role: m.role, preview: previewOf(m.content), timestamp: m.timestamp };
  });
}

export function detailsOf(open: OpenSession, messageId: string): MessageDetails | null {
  const { index } = open.tree;
  const i = index.indexOf.get(messageId);
  const m = i !== undefined ? index.nodes[i] : laneNode(open, messageId);
  if (m === undefined) return null;
  return {
    id: m.id,
    role: m.role,
    kind: m.kind,
    timestamp: m.timestamp,
    parentId: m.parentId,
    location: m.location,
    metadata: m.metadata ? viewOf(m.metadata) : null,
    raw: viewOf(m.raw),
    warnings: open.tree.warnings.filter((w) => w.messageId === m.id),
  };
}

/** A further page of a value in a message (see value-view.ts); null when the message or the path is not there. */
export function valuePageOf(open: OpenSession, messageId: string, path: ValuePath, offset: number, limit: number): ValueView | null {
  const i = open.tree.index.indexOf.get(messageId);
  const m = i !== undefined ? open.tree.index.nodes[i] : laneNode(open, messageId);
  if (m === undefined) return null;
  return pageOf(m, path, offset, limit);
}
