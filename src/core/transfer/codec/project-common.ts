import { normalizeRole } from '../../model/content';
import type { ContentBlock, EpochMs, Role } from '../../model/types';
import type { TransferMessage, TransferSession } from '../session';
import type { Notes, ProjectContext } from './codec';
import { LOST } from './lost';
import { flattenToText } from './text-content';

/**
 * The pieces every layout's `project` is made of. A message that came from the same layout with its
 * `original` is kept exactly (the writer writes that record back); every other message is fitted to
 * the layout's rules, and each thing that does not fit is named once through `notes`.
 */

export interface MessageRules {
  /** The kind and role this layout stores for a message from another layout; null drops the message. */
  role(m: TransferMessage, notes: Notes): { kind: string; role: Role } | null;
  /** 'none': the layout keeps no message times; 'seconds': whole seconds; 'ms': as they are. */
  time: 'ms' | 'seconds' | 'none';
  /** The layout reads messages in time order: times must rise from one message to the next. */
  monotonic: boolean;
  content: 'blocks' | 'text';
  metadata: boolean;
  /** Linear layouts: each message's parent is the message before it. */
  linear: boolean;
}

/** The role text of a linear SQL layout's role column, read back through normalizeRole. */
export function roleText(kind: string): { kind: string; role: Role } {
  return { kind, role: normalizeRole(kind) };
}

export function projectMessages(s: TransferSession, sameLayout: boolean, rules: MessageRules, sessionCreated: EpochMs, notes: Notes): TransferMessage[] {
  const out: TransferMessage[] = [];
  const timeOf = new Map<string, EpochMs | null>();
  let previous: TransferMessage | null = null;
  for (const m of s.messages) {
    const parentId: string | null = rules.linear ? (previous?.id ?? null) : m.parentId;
    if (sameLayout && m.original !== undefined) {
      const kept: TransferMessage = parentId === m.parentId ? m : { ...m, parentId };
      out.push(kept);
      timeOf.set(kept.id, kept.timestamp);
      previous = kept;
      continue;
    }
    let kind = m.kind;
    let role = m.role;
    if (!sameLayout) {
      const mapped = rules.role(m, notes);
      if (mapped === null) continue;
      // A different word for the same role ('human' → 'user', 'tool_call' → 'assistant') is a kind lost.
      if (mapped.kind !== m.kind && mapped.role === m.role) notes.lost(LOST.kinds);
      ({ kind, role } = mapped);
    }
    const parentTime = rules.linear ? (previous?.timestamp ?? null) : parentId === null ? null : (timeOf.get(parentId) ?? null);
    const timestamp = projectTime(m.timestamp, sameLayout, rules, parentTime ?? sessionCreated, previous?.timestamp ?? null, notes);
    let metadata = m.metadata;
    if (!rules.metadata && metadata !== null) {
      notes.lost(LOST.messageMetadata);
      metadata = null;
    }
    const projected: TransferMessage = {
      id: m.id,
      parentId,
      kind,
      role,
      timestamp,
      content: rules.content === 'text' ? textContent(m.content, notes) : m.content,
      metadata,
    };
    out.push(projected);
    timeOf.set(projected.id, timestamp);
    previous = projected;
  }
  return out;
}

function projectTime(value: EpochMs | null, sameLayout: boolean, rules: MessageRules, fill: EpochMs, before: EpochMs | null, notes: Notes): EpochMs | null {
  if (rules.time === 'none') {
    if (value !== null) notes.lost(LOST.noTimes);
    return null;
  }
  let t = value;
  if (t === null) {
    // A message of this layout without a time had none in the store either: leave it so.
    if (sameLayout) return null;
    notes.lost(LOST.filledTimes);
    t = fill;
  }
  if (rules.time === 'seconds') {
    const whole = Math.floor(t / 1000) * 1000;
    if (whole !== t) notes.lost(LOST.wholeSeconds);
    t = whole;
  }
  // A backend that orders by time alone (`ORDER BY created_at`) has no tie-break it promises: a
  // message from elsewhere gets a time after the one before it, one millisecond if need be. Messages
  // of the same layout keep theirs; their ties were already in row order, which the copy keeps.
  if (rules.monotonic && before !== null && (sameLayout ? t < before : t <= before)) {
    if (value !== null) notes.lost(value < before ? LOST.raisedTimes : LOST.tiedTimes);
    t = sameLayout ? before : before + 1;
  }
  return t;
}

/** Content for a text-only layout: one text block, or none for empty text (how the readers see it). */
export function textContent(blocks: readonly ContentBlock[], notes: Notes | null): ContentBlock[] {
  const text = flattenToText(blocks, notes);
  return text === '' ? [] : [{ type: 'text', text }];
}

/** A session's own times, or the best it has: its messages' times, then the import's clock. */
export function sessionTimes(s: TransferSession, context: ProjectContext): { createdAt: EpochMs; updatedAt: EpochMs } {
  let first: EpochMs | null = null;
  let last: EpochMs | null = null;
  for (const m of s.messages) {
    if (m.timestamp === null) continue;
    if (first === null || m.timestamp < first) first = m.timestamp;
    if (last === null || m.timestamp > last) last = m.timestamp;
  }
  const createdAt = s.createdAt ?? first ?? s.updatedAt ?? context.now;
  return { createdAt, updatedAt: s.updatedAt ?? last ?? createdAt };
}

export const wholeSeconds = (ms: EpochMs): EpochMs => Math.floor(ms / 1000) * 1000;

/** Names the session fields a layout has no place for (counts are recounted, never "lost"). */
export function noteDroppedFields(metadata: Record<string, unknown>, kept: readonly string[], notes: Notes): void {
  const dropped = Object.keys(metadata).filter(
    (k) => !kept.includes(k) && k !== 'storedMessageCount' && metadata[k] !== null && metadata[k] !== undefined && !(Array.isArray(metadata[k]) && (metadata[k] as unknown[]).length === 0),
  );
  for (const key of dropped.sort()) notes.lost(LOST.sessionField(key));
}

/** A metadata value as a string, or null. */
export function textField(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** The newest message time, or null. */
export function newestTime(messages: readonly TransferMessage[]): EpochMs | null {
  let t: EpochMs | null = null;
  for (const m of messages) if (m.timestamp !== null && (t === null || m.timestamp > t)) t = m.timestamp;
  return t;
}

/**
 * A session as a linear layout holds it: its one path of messages, readable, no named branches. The
 * source's own record is kept only when its times are (another layout's record means nothing here).
 */
export function linearSession(
  s: TransferSession,
  parts: Pick<TransferSession, 'createdAt' | 'updatedAt' | 'metadata' | 'messages'>,
  keepOriginal: boolean,
): TransferSession {
  return { ...s, ...parts, status: 'ok', hasTranscript: true, original: keepOriginal ? s.original : undefined, branches: [] };
}
