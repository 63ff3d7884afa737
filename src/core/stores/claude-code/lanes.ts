import type { LaneInfo, StoreWarning } from '../../model/types';
import type { LaneState, SessionBuilder, TaskCall } from './builder';
import type { ClaudeNode } from './node';
import { firstText, normalizePrompt } from './user-text';

/**
 * Hangs each subagent lane under the Task (Agent) call that started it. The link is made, in
 * order of trust, from what the session file says: the call's tool result names the agent
 * (`toolUseResult.agentId`, 2.x) or its `agent_progress` records do (`parentToolUseID`); failing
 * both (1.x, inline sidechains), the lane's first prompt is the call's `prompt`. A lane nobody
 * started stays a lane with no parent message. Inside a lane, a message whose parent is not in the
 * lane (a subagent that inherited the conversation names main-line records) follows the one before.
 */

const LABEL_LIMIT = 80;

export function linkLanes(builder: SessionBuilder): LaneInfo[] {
  const byPrompt = new Map<string, TaskCall[]>();
  const claimed = new Set<string>();
  for (const call of builder.taskCalls.values()) {
    if (call.prompt === null) continue;
    const key = normalizePrompt(call.prompt);
    const list = byPrompt.get(key);
    if (list) list.push(call);
    else byPrompt.set(key, [call]);
  }
  for (const toolUseId of builder.agentCalls.values()) claimed.add(toolUseId);

  const infos: LaneInfo[] = [];
  for (const lane of builder.lanes.values()) {
    if (lane.nodes.length === 0) continue;
    let call: TaskCall | undefined;
    const linked = builder.agentCalls.get(lane.id);
    if (linked !== undefined) call = builder.taskCalls.get(linked);
    if (!call) {
      const prompt = firstPrompt(lane);
      const candidates = prompt !== null ? byPrompt.get(normalizePrompt(prompt)) : undefined;
      call = candidates?.find((c) => !claimed.has(c.toolUseId));
      if (call) claimed.add(call.toolUseId);
    }
    const attach = call ? call.node : attachFromParent(builder, lane);
    hangLane(builder, lane, attach, builder.warnings);
    infos.push({ id: lane.id, label: laneLabel(lane, call), parentMessageId: attach?.id ?? null, messageCount: lane.nodes.length });
  }
  return infos;
}

function firstPrompt(lane: LaneState): string | null {
  for (const node of lane.nodes) {
    if (node.role !== 'user' || node.shape !== 'user') continue;
    const message = node.records[0].message;
    const text = firstText(typeof message === 'object' && message !== null ? (message as Record<string, unknown>).content : undefined);
    if (text) return text;
  }
  return null;
}

/** Without a Task call: the main-line message the lane's first record names, if it names one. */
function attachFromParent(builder: SessionBuilder, lane: LaneState): ClaudeNode | null {
  const first = lane.nodes[0];
  const parent = first.rawParent !== null ? builder.resolvesTo(first.rawParent) : null;
  return parent && parent.lane === null ? parent : null;
}

function hangLane(builder: SessionBuilder, lane: LaneState, attach: ClaudeNode | null, warnings: StoreWarning[]): void {
  const members = new Set<ClaudeNode>(lane.nodes);
  let previous: ClaudeNode | null = null;
  for (const node of lane.nodes) {
    const parent = node.parentId !== null || node.rawParent !== null ? resolvedParent(builder, node) : null;
    if (parent && members.has(parent) && parent !== node) {
      node.parentId = parent.id;
    } else if (node.shape === 'tool_result' && node.rawParent === null && node.parentId !== null) {
      // A results message was put under its call when it was read; the call is in the lane.
    } else {
      if (node.rawParent !== null && !parent) {
        warnings.push({
          code: 'missing-parent',
          message: `${node.file ?? builder.file}, line ${node.lines[0]}: subagent message "${node.id}" names parent "${node.rawParent}", which is in neither the subagent's file nor the session; it follows the message before it.`,
          line: node.lines[0],
          file: node.file ?? builder.file,
          messageId: node.id,
        });
      }
      node.parentId = previous ? previous.id : (attach?.id ?? null);
    }
    previous = node;
  }
}

function resolvedParent(builder: SessionBuilder, node: ClaudeNode): ClaudeNode | null {
  if (node.rawParent === null) return null;
  return builder.resolvesTo(node.rawParent);
}

/** "Explore: find the config loader"; without a call, what the lane's records say it is. */
function laneLabel(lane: LaneState, call: TaskCall | undefined): string {
  let label: string;
  if (call && (call.subagentType || call.description)) label = [call.subagentType, call.description].filter(Boolean).join(': ');
  else if (lane.id.startsWith('acompact')) label = 'Compaction summary';
  else label = `Subagent ${lane.id.slice(0, 12)}`;
  if (lane.fromProgress) label += ' (from progress records)';
  return label.length > LABEL_LIMIT ? `${label.slice(0, LABEL_LIMIT - 1)}…` : label;
}
