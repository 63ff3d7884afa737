import { plainText, titleFromText } from '../../model/content';
import type { ContentBlock, MessageMark, MessageNode, Role } from '../../model/types';
import type { Item, LineRecord, Part, Rollout } from './rollout';

/**
 * A rollout's items as the steps of its history: messages (the parts of one model reply are one
 * message, its tool outputs another, every other part a message of its own) and rewinds. A step has
 * no id yet: the family of rollouts it belongs to decides which rollout's node it is.
 */

export interface RolloutMessage {
  parts: Part[];
  role: Role;
}

export type Step = { type: 'message'; message: RolloutMessage } | { type: 'rollback'; turns: number; line: number };

export function stepsOf(items: readonly Item[]): Step[] {
  const steps: Step[] = [];
  let open: RolloutMessage | null = null;
  for (const item of items) {
    if (item.type === 'rollback') {
      open = null;
      steps.push(item);
      continue;
    }
    const part = item.part;
    if (open && part.side !== 'own' && open.parts[0].side === part.side) {
      open.parts.push(part);
      continue;
    }
    const message: RolloutMessage = { parts: [part], role: part.role };
    steps.push({ type: 'message', message });
    open = part.side === 'own' ? null : message;
  }
  return steps;
}

export function marksOf(m: RolloutMessage): MessageMark[] {
  const marks = new Set<MessageMark>();
  for (const p of m.parts) for (const k of p.marks) marks.add(k);
  return [...marks];
}

/** A prompt: the user typed it (not injected context, a command or a notice). */
export function isPrompt(m: RolloutMessage): boolean {
  return m.role === 'user' && m.parts.every((p) => p.marks.length === 0);
}

export function isOwnMeta(step: Step | undefined, sessionId: string): boolean {
  return step?.type === 'message' && step.message.parts[0].metaOf === sessionId;
}

/** What makes two steps the same in a fork and its parent: the records' payloads, not their times. */
export function stepSignature(step: Step): string {
  if (step.type === 'rollback') return `rollback:${step.turns}`;
  return step.message.parts
    .map((p) => {
      const r = p.record as { payload?: unknown } | null;
      return JSON.stringify(r && typeof r === 'object' && 'payload' in r ? r.payload : r);
    })
    .join('\n');
}

const kindOf = (m: RolloutMessage) => (m.parts.length === 1 ? m.parts[0].kind : m.parts[0].side === 'tool' ? 'tool_outputs' : 'response');

function lineRecords(list: readonly LineRecord[]) {
  return list.map((e) => ({ line: e.line, record: e.record }));
}

/** The node of a message step; `file` names the rollout it was read from (a family spans several). */
export function messageNode(m: RolloutMessage, id: string, parentId: string | null, file: string): MessageNode {
  const first = m.parts[0];
  const content: ContentBlock[] = m.parts.flatMap((p) => p.blocks);
  const copies = m.parts.flatMap((p) => p.copies);
  const events = m.parts.flatMap((p) => p.events);
  const marks = marksOf(m);
  const model = m.parts.find((p) => p.model)?.model ?? null;
  const metadata: Record<string, unknown> = { file, lines: m.parts.map((p) => p.line) };
  if (copies.length) metadata.alsoRecordedAs = lineRecords(copies);
  if (events.length) metadata.events = lineRecords(events);
  return {
    id,
    parentId,
    role: m.role,
    kind: kindOf(m),
    timestamp: first.timestamp,
    content,
    metadata,
    ...(marks.length ? { marks } : {}),
    ...(model ? { model } : {}),
    location: { line: first.line },
    raw: m.parts.length === 1 ? first.record : m.parts.map((p) => p.record),
  };
}

export interface RolloutFacts {
  messageCount: number;
  title: string | null;
}

/**
 * The Codex IDE extension and app put what the user attached before the request itself ("# Files
 * mentioned by the user: … ## My request for Codex: …"); the title is the request.
 */
const REQUEST_HEADING = '## My request for Codex:';
function requestOf(text: string): string {
  const at = text.indexOf(REQUEST_HEADING);
  return at >= 0 ? text.slice(at + REQUEST_HEADING.length) : text;
}

/** The title a list shows: the name the user gave the thread, else its first prompt (a fork's own first). */
export function rolloutFacts(rollout: Rollout, steps: readonly Step[]): RolloutFacts {
  let messageCount = 0;
  let first: string | null = null;
  let firstOwn: string | null = null;
  for (const step of steps) {
    if (step.type !== 'message') continue;
    messageCount++;
    if (!isPrompt(step.message)) continue;
    const text = titleFromText(requestOf(plainText(step.message.parts.flatMap((p) => p.blocks))));
    if (!text) continue;
    first ??= text;
    if (rollout.ownFrom !== null && step.message.parts[0].line >= rollout.ownFrom) firstOwn ??= text;
  }
  return { messageCount, title: rollout.threadName ?? firstOwn ?? first };
}
