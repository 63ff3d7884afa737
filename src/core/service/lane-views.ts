import type { GraphLane, LaneRef, LaneTranscript, PathMessage } from '../../shared/dto';
import type { MessageNode, StoreWarning } from '../model/types';
import type { LaneView } from '../tree/lanes';
import { previewOf } from './previews';
import type { OpenSession } from './session-cache';
import { pathBlocks } from './value-view';

/** The API's views of subagent lanes: refs on the messages that start them, the graph, a lane's messages. */

export function laneRefsOf(open: OpenSession, messageId: string): LaneRef[] {
  const lanes = open.tree.lanes.byParent.get(messageId);
  return lanes ? lanes.map((l) => ({ id: l.info.id, label: l.info.label, messageCount: l.nodes.length })) : [];
}

export function graphLanesOf(open: OpenSession): GraphLane[] {
  const { index, lanes } = open.tree;
  return lanes.lanes.map((l) => {
    const parent = l.info.parentMessageId;
    const main = parent !== null ? index.indexOf.get(parent) : undefined;
    const first = l.nodes[0];
    const last = l.nodes[l.nodes.length - 1];
    return {
      id: l.info.id,
      label: l.info.label,
      messageCount: l.nodes.length,
      parentMessageId: parent,
      parentSegment: main !== undefined ? open.compressed.segmentOf[main] : -1,
      parentLane: parent !== null && main === undefined ? (lanes.messages.get(parent)?.lane.info.id ?? null) : null,
      firstRole: first.role,
      firstPreview: previewOf(first.content),
      lastTimestamp: last.timestamp,
    };
  });
}

export function laneTranscriptOf(open: OpenSession, laneId: string): LaneTranscript | null {
  const lane = open.tree.lanes.byId.get(laneId);
  if (!lane) return null;
  const warnings = new Map<string, StoreWarning[]>();
  for (const w of open.tree.warnings) if (w.messageId !== undefined) warnings.set(w.messageId, [...(warnings.get(w.messageId) ?? []), w]);
  return { lane: lane.info, messages: lane.nodes.map((m) => laneMessage(open, lane, m, warnings.get(m.id) ?? [])) };
}

function laneMessage(open: OpenSession, lane: LaneView, m: MessageNode, warnings: StoreWarning[]): PathMessage {
  return {
    id: m.id,
    parentId: m.parentId,
    role: m.role,
    kind: m.kind,
    timestamp: m.timestamp,
    content: pathBlocks(m.content),
    siblingPosition: 1,
    siblingCount: 1,
    previousSiblingId: null,
    nextSiblingId: null,
    branchNames: [],
    segment: -1,
    flags: { orphan: false, cycleBreak: false },
    marks: [...(m.marks ?? [])],
    model: m.model ?? null,
    lane: lane.info.id,
    lanes: laneRefsOf(open, m.id),
    warnings,
  };
}

/** A lane message by id (for the inspector), or undefined. */
export function laneNode(open: OpenSession, messageId: string): MessageNode | undefined {
  return open.tree.lanes.messages.get(messageId)?.node;
}

/** The main-line message a lane message hangs from, through nested lanes; null when none. */
export function mainAnchorOf(open: OpenSession, messageId: string): string | null {
  const seen = new Set<string>();
  let entry = open.tree.lanes.messages.get(messageId);
  while (entry && !seen.has(entry.lane.info.id)) {
    seen.add(entry.lane.info.id);
    const parent = entry.lane.info.parentMessageId;
    if (parent === null) return null;
    if (open.tree.index.indexOf.has(parent)) return parent;
    entry = open.tree.lanes.messages.get(parent);
  }
  return null;
}
