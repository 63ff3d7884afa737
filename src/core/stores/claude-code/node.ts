import { normalizeContent } from '../../model/content';
import type { ContentBlock, MessageMark, MessageNode, Role } from '../../model/types';
import type { JsonRecord } from './lines';
import { commandDisplayText } from './command-text';

/**
 * One message as Arbor shows it, made of one or more Claude Code records: an assistant turn written
 * as one line per content block (same `message.id`), the tool results that answer one assistant
 * message, or a single user/system record. Records Claude Code writes beside the conversation
 * (hook progress, file snapshots, turn durations, unknown types) are folded in as metadata. Content
 * and metadata are built on first use: indexing a session needs ids and parents only.
 */

export interface FoldedRecord {
  line: number;
  record: JsonRecord;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export type NodeShape = 'user' | 'assistant' | 'tool_result' | 'system';

export class ClaudeNode implements MessageNode {
  parentId: string | null = null;
  /** The uuid the first record names as its parent (or logical parent), resolved when the file is done. */
  rawParent: string | null;
  readonly records: JsonRecord[] = [];
  readonly lines: number[] = [];
  folded: FoldedRecord[] | null = null;
  model: string | null = null;
  private blocks: ContentBlock[] | null = null;

  constructor(
    readonly id: string,
    readonly shape: NodeShape,
    readonly role: Role,
    readonly kind: string,
    readonly timestamp: number | null,
    readonly lane: string | null,
    readonly marks: readonly MessageMark[] | undefined,
    /** The file the records come from, for lanes read from a subagent file; null for the session file. */
    readonly file: string | null,
    rawParent: string | null,
  ) {
    this.rawParent = rawParent;
  }

  add(record: JsonRecord, line: number): void {
    this.records.push(record);
    this.lines.push(line);
    this.blocks = null;
  }

  fold(record: JsonRecord, line: number): void {
    (this.folded ??= []).push({ line, record });
  }

  get content(): ContentBlock[] {
    return (this.blocks ??= this.buildContent());
  }

  get location(): { line: number } {
    return { line: this.lines[0] };
  }

  /** The records as parsed: the one record, or all of them (own and folded) in file order. */
  get raw(): unknown {
    if (this.records.length === 1 && !this.folded) return this.records[0];
    const all: FoldedRecord[] = this.records.map((record, i) => ({ line: this.lines[i], record }));
    if (this.folded) all.push(...this.folded);
    all.sort((a, b) => a.line - b.line);
    return all.map((r) => r.record);
  }

  get metadata(): Record<string, unknown> | null {
    const first = this.records[0];
    const meta: Json = { lines: [...this.lines] };
    if (this.file) meta.file = this.file;
    for (const key of ['cwd', 'gitBranch', 'version', 'requestId', 'agentId', 'slug', 'permissionMode'] as const) {
      if (typeof first[key] === 'string' && first[key] !== '') meta[key] = first[key];
    }
    if (first.isMeta === true) meta.isMeta = true;
    if (first.isSidechain === true) meta.isSidechain = true;
    if (first.isApiErrorMessage === true) meta.isApiErrorMessage = true;
    if (this.shape === 'assistant') {
      const message = lastMessage(this.records);
      if (message) {
        if (typeof message.id === 'string') meta.messageId = message.id;
        if (message.stop_reason !== undefined && message.stop_reason !== null) meta.stopReason = message.stop_reason;
        if (isObject(message.usage)) meta.usage = message.usage;
      }
    }
    if (this.kind === 'compact_boundary') {
      if (isObject(first.compactMetadata)) meta.compactMetadata = first.compactMetadata;
      if (typeof first.logicalParentUuid === 'string') meta.logicalParentUuid = first.logicalParentUuid;
    }
    if (this.folded) meta.folded = this.folded.map(({ line, record }) => foldedSummary(line, record));
    return meta;
  }

  /** Commands and Claude Code's notes about them are tagged text, shown without the tags. */
  private tagged(): boolean {
    return this.marks !== undefined && (this.marks.includes('command') || this.marks.includes('meta'));
  }

  private buildContent(): ContentBlock[] {
    if (this.shape === 'system') {
      const text = this.records[0].content;
      if (typeof text !== 'string' || text === '') return [];
      return [{ type: 'text', text: this.tagged() ? commandDisplayText(text) : text }];
    }
    const blocks: ContentBlock[] = [];
    for (const record of this.records) {
      const message = isObject(record.message) ? record.message : null;
      blocks.push(...normalizeContent(message ? message.content : record.content));
    }
    if (this.tagged()) {
      for (let i = 0; i < blocks.length; i++) {
        const b = blocks[i];
        if (b.type === 'text') blocks[i] = { type: 'text', text: commandDisplayText(b.text) };
      }
    }
    return blocks;
  }
}

function lastMessage(records: readonly JsonRecord[]): Json | null {
  for (let i = records.length - 1; i >= 0; i--) {
    const m = records[i].message;
    if (isObject(m)) return m;
  }
  return null;
}

/** What the inspector lists for a folded record; the record itself is in `raw`. */
function foldedSummary(line: number, record: JsonRecord): Json {
  const out: Json = { line, type: typeof record.type === 'string' ? record.type : null };
  if (typeof record.subtype === 'string') out.subtype = record.subtype;
  const data = record.data;
  if (isObject(data)) {
    if (typeof data.type === 'string') out.data = data.type;
    if (typeof data.hookName === 'string') out.hook = data.hookName;
    if (typeof data.agentId === 'string') out.agentId = data.agentId;
  }
  if (typeof record.durationMs === 'number') out.durationMs = record.durationMs;
  if (typeof record.operation === 'string') out.operation = record.operation;
  if (isObject(record.attachment) && typeof record.attachment.type === 'string') out.attachment = record.attachment.type;
  return out;
}
