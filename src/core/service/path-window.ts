import type { ActivePath, PathMessage } from '../../shared/dto';
import type { StoreWarning } from '../model/types';
import { pathTo, siblingsOf } from '../tree/tree-index';
import { laneRefsOf } from './lane-views';
import type { OpenSession } from './session-cache';
import { pathBlocks } from './value-view';

/**
 * Windows of the active path. A 100,000-deep branch is 50 MB of JSON as whole messages, so the
 * transcript asks for the path's length and its segments first and for message bodies a window at a
 * time (the rows on screen and a margin). The path of a leaf is kept on the open session: paging
 * down a branch walks it once, not once per page.
 */

/** The most messages one window carries (the transcript asks for a few hundred). */
export const MAX_WINDOW = 2000;

export interface WindowRequest {
  offset?: number;
  limit: number;
  /** Centre the window on this message (on the path) and report its position. */
  focusId?: string;
  /** Centre it on the first message the path does not share with this leaf's path. */
  divergeFromLeafId?: string;
}

interface PathCache {
  leaf: number;
  nodes: number[];
  segments: number[];
}

const paths = new WeakMap<OpenSession, PathCache>();
const namesOf = new WeakMap<OpenSession, Map<string, string[]>>();
const warningsOf = new WeakMap<OpenSession, Map<string, StoreWarning[]>>();
const flagged = new WeakMap<OpenSession, { orphans: Set<number>; breaks: Set<number> }>();

function flagsOf(open: OpenSession) {
  let sets = flagged.get(open);
  if (!sets) {
    sets = { orphans: new Set(open.tree.index.orphans), breaks: new Set(open.tree.index.cycleBreaks) };
    flagged.set(open, sets);
  }
  return sets;
}

/** The node numbers root → leaf and the graph segments they run through, cached per session and leaf. */
export function pathOfLeaf(open: OpenSession, leaf: number): PathCache {
  const hit = paths.get(open);
  if (hit && hit.leaf === leaf) return hit;
  const nodes = pathTo(open.tree.index, leaf);
  const segments: number[] = [];
  for (const v of nodes) {
    const s = open.compressed.segmentOf[v];
    if (segments[segments.length - 1] !== s) segments.push(s);
  }
  const entry = { leaf, nodes, segments };
  paths.set(open, entry);
  return entry;
}

function branchNames(open: OpenSession): Map<string, string[]> {
  let names = namesOf.get(open);
  if (!names) {
    names = new Map();
    for (const b of open.tree.branches) names.set(b.leafId, [...(names.get(b.leafId) ?? []), b.name]);
    namesOf.set(open, names);
  }
  return names;
}

function messageWarnings(open: OpenSession): Map<string, StoreWarning[]> {
  let by = warningsOf.get(open);
  if (!by) {
    by = new Map();
    for (const w of open.tree.warnings) if (w.messageId !== undefined) by.set(w.messageId, [...(by.get(w.messageId) ?? []), w]);
    warningsOf.set(open, by);
  }
  return by;
}

/** One message of the main line as the transcript draws it. */
export function pathMessageOf(open: OpenSession, i: number): PathMessage {
  const { index } = open.tree;
  const m = index.nodes[i];
  const siblings = siblingsOf(index, i);
  const pos = index.siblingPosition[i];
  return {
    id: m.id,
    parentId: index.parent[i] >= 0 ? index.nodes[index.parent[i]].id : null,
    role: m.role,
    kind: m.kind,
    timestamp: m.timestamp,
    content: pathBlocks(m.content),
    siblingPosition: pos + 1,
    siblingCount: siblings.length,
    previousSiblingId: pos > 0 ? index.nodes[siblings[pos - 1]].id : null,
    nextSiblingId: pos + 1 < siblings.length ? index.nodes[siblings[pos + 1]].id : null,
    branchNames: branchNames(open).get(m.id) ?? [],
    segment: open.compressed.segmentOf[i],
    flags: { orphan: flagsOf(open).orphans.has(i), cycleBreak: flagsOf(open).breaks.has(i) },
    marks: m.marks ? [...m.marks] : [],
    model: m.model ?? null,
    lane: null,
    lanes: laneRefsOf(open, m.id),
    warnings: messageWarnings(open).get(m.id) ?? [],
  };
}

/** Where the path of `leaf` first leaves the path of `other` (the depth below their last shared message). */
function divergenceDepth(open: OpenSession, leaf: number, other: number): number {
  const { parent, depth } = open.tree.index;
  let a = leaf;
  let b = other;
  while (depth[a] > depth[b]) a = parent[a];
  while (depth[b] > depth[a]) b = parent[b];
  while (a !== b && a >= 0 && b >= 0) {
    a = parent[a];
    b = parent[b];
  }
  // Different roots share nothing: the new path differs from its first message.
  return a < 0 || b < 0 ? 0 : depth[a] + 1;
}

/** A window of the path to `leaf`: `messages` start at `offset` of `length`; `focusIndex` where the focus is. */
export function pathWindowOf(open: OpenSession, leaf: number, request: WindowRequest): ActivePath {
  const { index } = open.tree;
  if (leaf < 0) return { activeLeafId: null, messages: [], length: 0, offset: 0, segments: [], focusIndex: null };
  const { nodes, segments } = pathOfLeaf(open, leaf);
  const limit = Math.max(1, Math.min(MAX_WINDOW, request.limit));
  let focusIndex: number | null = null;
  if (request.focusId !== undefined) {
    const at = index.indexOf.get(request.focusId);
    // depth[at] is its place on every path through it; it is on this one when the node there is it.
    if (at !== undefined && nodes[index.depth[at]] === at) focusIndex = index.depth[at];
  } else if (request.divergeFromLeafId !== undefined) {
    const other = index.indexOf.get(request.divergeFromLeafId);
    if (other !== undefined) focusIndex = Math.min(nodes.length - 1, divergenceDepth(open, leaf, other));
  }
  let offset = request.offset ?? (focusIndex !== null ? focusIndex - Math.floor(limit / 2) : 0);
  offset = Math.max(0, Math.min(offset, Math.max(0, nodes.length - limit)));
  const messages: PathMessage[] = [];
  for (let p = offset; p < Math.min(nodes.length, offset + limit); p++) messages.push(pathMessageOf(open, nodes[p]));
  return { activeLeafId: index.nodes[leaf].id, messages, length: nodes.length, offset, segments, focusIndex };
}

/** The sibling of a main-line message at a 1-based position, clamped to its siblings; null when there is no such message. */
export function siblingAt(open: OpenSession, messageId: string, position: number): number | null {
  const { index } = open.tree;
  const at = index.indexOf.get(messageId);
  if (at === undefined) return null;
  const siblings = siblingsOf(index, at);
  return siblings[Math.max(0, Math.min(siblings.length - 1, position - 1))];
}
