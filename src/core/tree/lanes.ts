import type { LaneInfo, MessageNode, StoreWarning } from '../model/types';

/**
 * Subagent lanes of a session, kept beside its tree rather than in it: a lane hangs under the tool
 * call that started it (its first message's parent), but it is not a branch of the conversation.
 * Counting it as one would make every Task call a fork, put lane leaves in the branch list and
 * let a subagent's last message become the "newest leaf". So the tree index is built over the main
 * line only, and lanes are looked up here by id, by the message they hang under, and by message.
 */

export interface LaneView {
  info: LaneInfo;
  /** The lane's messages in store order. */
  nodes: MessageNode[];
}

export interface SessionLanes {
  lanes: LaneView[];
  byId: ReadonlyMap<string, LaneView>;
  /** Lanes by the message (main line or another lane) they hang under. */
  byParent: ReadonlyMap<string, LaneView[]>;
  /** Every lane message by id, with its lane. */
  messages: ReadonlyMap<string, { node: MessageNode; lane: LaneView }>;
}

export const NO_LANES: SessionLanes = { lanes: [], byId: new Map(), byParent: new Map(), messages: new Map() };

/** Splits store-order messages into the main line and its lanes (infos as the store gave them). */
export function splitLanes(messages: readonly MessageNode[], infos: readonly LaneInfo[] | undefined, warnings: StoreWarning[]): { main: readonly MessageNode[]; lanes: SessionLanes } {
  let laneCount = 0;
  for (const m of messages) if (m.lane) laneCount++;
  if (laneCount === 0) return { main: messages, lanes: NO_LANES };
  const main: MessageNode[] = [];
  const byId = new Map<string, LaneView>();
  const lanes: LaneView[] = [];
  for (const info of infos ?? []) {
    if (byId.has(info.id)) continue;
    const view = { info: { ...info }, nodes: [] };
    byId.set(info.id, view);
    lanes.push(view);
  }
  const laneMessages = new Map<string, { node: MessageNode; lane: LaneView }>();
  const mainIds = new Set<string>();
  for (const m of messages) {
    if (!m.lane) {
      main.push(m);
      mainIds.add(m.id);
      continue;
    }
    let view = byId.get(m.lane);
    if (!view) {
      view = { info: { id: m.lane, label: `Subagent ${m.lane}`, parentMessageId: m.parentId, messageCount: 0 }, nodes: [] };
      byId.set(m.lane, view);
      lanes.push(view);
    }
    if (laneMessages.has(m.id)) {
      warnings.push({ code: 'duplicate-id', message: `Message id "${m.id}" appears again in lane ${m.lane}; the first record is kept and this one is ignored.`, messageId: m.id, ...m.location });
      continue;
    }
    view.nodes.push(m);
    laneMessages.set(m.id, { node: m, lane: view });
  }
  const byParent = new Map<string, LaneView[]>();
  const kept = lanes.filter((l) => l.nodes.length > 0);
  for (const view of kept) {
    view.info.messageCount = view.nodes.length;
    const parent = view.info.parentMessageId;
    if (parent === null || (!mainIds.has(parent) && !laneMessages.has(parent))) {
      if (parent !== null) {
        warnings.push({ code: 'lane-parent-missing', message: `Lane "${view.info.label}" hangs under message "${parent}", which is not in the session; it is shown on its own.` });
        view.info.parentMessageId = null;
      }
      continue;
    }
    const list = byParent.get(parent);
    if (list) list.push(view);
    else byParent.set(parent, [view]);
  }
  return { main, lanes: { lanes: kept, byId: new Map(kept.map((l) => [l.info.id, l])), byParent, messages: laneMessages } };
}
