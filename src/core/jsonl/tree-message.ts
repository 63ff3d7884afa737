import { describeJson, normalizeRole, normalizeTreeMessageContent } from '../model/content';
import { cutSentence, type NestingCut } from '../model/nesting';
import { parseTimestamp } from '../model/time';
import type { ContentBlock, MessageNode, Role, StoreWarning } from '../model/types';

/**
 * Turns one seed-001 `Message` record (also the message line of Arbor's interchange format) into a
 * node. Records are kept even when damaged: a missing id gets a stand-in named after its line so the
 * user still sees the message, and every repair is reported.
 */

type Json = Record<string, unknown>;

export function isResetMarker(record: Json): boolean {
  const meta = record.metadata;
  if (typeof meta !== 'object' || meta === null) return false;
  const m = meta as Json;
  return (
    m.resetMarker === true ||
    m.isResetMarker === true ||
    m.reset === true ||
    m.type === 'reset' ||
    m.type === 'reset_marker' ||
    m.kind === 'reset' ||
    m.kind === 'reset_marker'
  );
}

/**
 * `cut`: what the line's reader cut at the nesting bound (read-jsonl.ts), reported on this message.
 * Every value the record holds is only looked at, never walked, so an unbounded record is safe too.
 */
export function treeMessageFromRecord(value: unknown, line: number, warnings: StoreWarning[], cut: NestingCut | null = null): MessageNode | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    warnings.push({ code: 'invalid-message', message: `Line ${line} is JSON but not a message object (${describeJson(value)}); it is skipped.`, line });
    return null;
  }
  const record = value as Json;
  let id: string;
  if (typeof record.id === 'string' && record.id !== '') id = record.id;
  else if (typeof record.id === 'number' && Number.isFinite(record.id)) id = String(record.id);
  else {
    id = `(line ${line})`;
    const what = record.id === undefined ? 'no message id' : `an id that is ${describeJson(record.id)}, not a string`;
    warnings.push({ code: 'missing-id', message: `Line ${line} has ${what}; it is shown as "${id}".`, line, messageId: id });
  }
  if (cut) warnings.push({ code: 'deep-nesting', message: cutSentence(`Message "${id}" (line ${line})`, cut), line, messageId: id });
  let parentId: string | null = null;
  if (typeof record.parentId === 'string') parentId = record.parentId;
  else if (typeof record.parentId === 'number' && Number.isFinite(record.parentId)) parentId = String(record.parentId);
  else if (record.parentId !== null && record.parentId !== undefined) {
    warnings.push({
      code: 'invalid-parent',
      message: `Message "${id}" (line ${line}) has a parentId that is ${describeJson(record.parentId)}, not a string; it is shown as a root.`,
      line,
      messageId: id,
    });
  }
  const type = typeof record.type === 'string' ? record.type : null;
  const role = normalizeRole(record.role ?? type);
  const timestamp = parseTimestamp(record.timestamp);
  if (record.timestamp !== undefined && timestamp === null) {
    warnings.push({ code: 'bad-timestamp', message: `Message "${id}" (line ${line}) has an unreadable timestamp (${describeJson(record.timestamp)}).`, line, messageId: id });
  }
  const wrong = wrongTypes(record);
  if (wrong.length > 0) {
    warnings.push({ code: 'wrong-type', message: `Message "${id}" (line ${line}): ${wrong.join('; ')}. The raw record keeps every field.`, line, messageId: id });
  }
  const metadata = isObject(record.metadata) ? record.metadata : null;
  return new TreeMessageNode(id, parentId, role, isResetMarker(record) ? 'reset-marker' : (type ?? role), timestamp, metadata, line, record);
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const present = (v: unknown) => v !== undefined && v !== null;

/** The fields of a record whose JSON type is not the one seed-001 gives them, and what the reader makes of each. */
function wrongTypes(record: Json): string[] {
  const out: string[] = [];
  if (present(record.type) && typeof record.type !== 'string') out.push(`type is ${describeJson(record.type)}, not a string (the role decides its kind)`);
  if (present(record.role) && typeof record.role !== 'string') out.push(`role is ${describeJson(record.role)}, not a string (shown as unknown)`);
  if (present(record.content) && typeof record.content !== 'string' && !Array.isArray(record.content)) {
    out.push(`content is ${describeJson(record.content)}, not text or blocks (shown as a raw block)`);
  }
  if (present(record.toolCalls) && !Array.isArray(record.toolCalls)) out.push(`toolCalls is ${describeJson(record.toolCalls)}, not an array (not shown as tool calls)`);
  if (present(record.toolResult) && !isObject(record.toolResult)) out.push(`toolResult is ${describeJson(record.toolResult)}, not an object (not shown as a tool result)`);
  if (present(record.metadata) && !isObject(record.metadata)) out.push(`metadata is ${describeJson(record.metadata)}, not an object (not shown as metadata)`);
  return out;
}

/**
 * A seed-001 message as a node. Its content blocks are decoded from the record on first use: indexing
 * a 100,000-message session needs ids and parents only, and the transcript shows one path of it, so
 * most messages' blocks are never needed. Location is derived the same way.
 */
class TreeMessageNode implements MessageNode {
  private blocks: ContentBlock[] | null = null;

  constructor(
    readonly id: string,
    readonly parentId: string | null,
    readonly role: Role,
    readonly kind: string,
    readonly timestamp: number | null,
    readonly metadata: Record<string, unknown> | null,
    private readonly line: number,
    readonly raw: Json,
  ) {}

  get content(): ContentBlock[] {
    return (this.blocks ??= normalizeTreeMessageContent(this.raw));
  }

  get location(): { line: number } {
    return { line: this.line };
  }
}
