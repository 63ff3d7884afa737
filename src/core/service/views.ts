import type { ActivePath, GraphSegment, LeafInfo, MessageDetails, PathMessage, SegmentMessage, SessionGraph, SessionOverview } from '../../shared/dto';
import type { StoreWarning } from '../model/types';
import { segmentNodes } from '../tree/compress';
import { pathTo, siblingsOf } from '../tree/tree-index';
import { previewOf } from './previews';
import type { OpenSession } from './session-cache';

/** Turns an indexed session into the API's views: overview, active path, graph, details. */

function branchNamesByLeaf(open: OpenSession): Map<string, string[]> {
  const names = new Map<string, string[]>();
  for (const b of open.tree.branches) names.set(b.leafId, [...(names.get(b.leafId) ?? []), b.name]);
  return names;
}

function warningsByMessage(open: OpenSession): Map<string, StoreWarning[]> {
  const by = new Map<string, StoreWarning[]>();
  for (const w of open.tree.warnings) {
    if (w.messageId === undefined) continue;
    by.set(w.messageId, [...(by.get(w.messageId) ?? []), w]);
  }
  return by;
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
    warnings: open.tree.warnings,
  };
}

export function activePathOf(open: OpenSession): ActivePath {
  const { index } = open.tree;
  if (open.activeLeaf < 0) return { activeLeafId: null, messages: [] };
  const names = branchNamesByLeaf(open);
  const warnings = warningsByMessage(open);
  const orphans = new Set(index.orphans);
  const breaks = new Set(index.cycleBreaks);
  const messages: PathMessage[] = pathTo(index, open.activeLeaf).map((i) => {
    const m = index.nodes[i];
    const siblings = siblingsOf(index, i);
    const pos = index.siblingPosition[i];
    return {
      id: m.id,
      parentId: index.parent[i] >= 0 ? index.nodes[index.parent[i]].id : null,
      role: m.role,
      kind: m.kind,
      timestamp: m.timestamp,
      content: m.content,
      siblingPosition: pos + 1,
      siblingCount: siblings.length,
      previousSiblingId: pos > 0 ? index.nodes[siblings[pos - 1]].id : null,
      nextSiblingId: pos + 1 < siblings.length ? index.nodes[siblings[pos + 1]].id : null,
      branchNames: names.get(m.id) ?? [],
      segment: open.compressed.segmentOf[i],
      flags: { orphan: orphans.has(i), cycleBreak: breaks.has(i) },
      model: m.model ?? null,
      warnings: warnings.get(m.id) ?? [],
    };
  });
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
  return { segments, rootSegments: open.compressed.rootSegments };
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
  if (i === undefined) return null;
  const m = index.nodes[i];
  return {
    id: m.id,
    role: m.role,
    kind: m.kind,
    timestamp: m.timestamp,
    parentId: m.parentId,
    location: m.location,
    metadata: m.metadata,
    raw: m.raw,
    warnings: open.tree.warnings.filter((w) => w.messageId === m.id),
  };
}
