import { parseTimestamp } from '../../model/time';
import type { ContentBlock, MessageMark, MessageNode, Role } from '../../model/types';
import type { ConversationNode } from './conversation';

/**
 * A Gemini CLI message record as a node: `user`, `gemini` (with its thoughts, tool calls and their
 * results, token counts and model), `info`, `warning` and `error` (Gemini's own notices). Content is
 * a string or Gemini API parts (`text`, `thought`, `functionCall`, `functionResponse`, `inlineData`,
 * `fileData`); anything else is kept as an unknown block.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** What a functionResponse said, as text: Gemini's tools answer `{output}` or `{error}`. */
function responseBlocks(response: unknown): { content: ContentBlock[]; isError: boolean } {
  if (typeof response === 'string') return { content: response ? [{ type: 'text', text: response }] : [], isError: false };
  if (isObject(response)) {
    if (typeof response.error === 'string') return { content: [{ type: 'text', text: response.error }], isError: true };
    if (typeof response.output === 'string') return { content: response.output ? [{ type: 'text', text: response.output }] : [], isError: false };
    if (typeof response.content === 'string') return { content: [{ type: 'text', text: response.content }], isError: false };
  }
  return { content: response === undefined || response === null ? [] : [{ type: 'text', text: JSON.stringify(response, null, 2) }], isError: false };
}

function partBlocks(part: unknown): ContentBlock[] {
  if (typeof part === 'string') return part === '' ? [] : [{ type: 'text', text: part }];
  if (!isObject(part)) return [{ type: 'unknown', raw: part }];
  if (typeof part.text === 'string') {
    if (part.thought === true) return [{ type: 'thinking', text: part.text, redacted: false }];
    return part.text === '' ? [] : [{ type: 'text', text: part.text }];
  }
  if (isObject(part.functionCall)) {
    const call = part.functionCall;
    return [{ type: 'tool_call', id: str(call.id), name: str(call.name) ?? 'function', input: call.args ?? null }];
  }
  if (isObject(part.functionResponse)) {
    const r = part.functionResponse;
    const { content, isError } = responseBlocks(r.response);
    return [{ type: 'tool_result', toolCallId: str(r.id), content, isError }];
  }
  if (isObject(part.inlineData)) {
    const mediaType = str(part.inlineData.mimeType);
    const data = str(part.inlineData.data);
    if (mediaType?.startsWith('image/')) return [{ type: 'image', mediaType, data, url: null }];
    return [{ type: 'attachment', name: str(part.inlineData.displayName), mediaType, size: data ? Math.floor((data.length * 3) / 4) : null, ref: null }];
  }
  if (isObject(part.fileData)) {
    const uri = str(part.fileData.fileUri);
    return [{ type: 'attachment', name: str(part.fileData.displayName) ?? uri, mediaType: str(part.fileData.mimeType), size: null, ref: uri }];
  }
  return [{ type: 'unknown', raw: part }];
}

export function contentBlocks(content: unknown): ContentBlock[] {
  if (content === undefined || content === null) return [];
  if (Array.isArray(content)) return content.flatMap(partBlocks);
  return partBlocks(content);
}

/** Gemini's thought summaries: `{subject, description}`. */
function thoughtBlocks(thoughts: unknown): ContentBlock[] {
  if (!Array.isArray(thoughts)) return [];
  return thoughts.map((t): ContentBlock => {
    if (!isObject(t)) return { type: 'thinking', text: String(t), redacted: false };
    const subject = str(t.subject);
    const description = str(t.description) ?? '';
    return { type: 'thinking', text: subject ? `**${subject}**\n\n${description}` : description, redacted: false };
  });
}

/**
 * A tool call with its result. The result sits in the call's record (`result`, API parts); newer
 * Gemini CLIs also record it as a user message of functionResponse parts, and then it is shown there
 * only (`answeredElsewhere`).
 */
function toolCallBlocks(calls: unknown, answeredElsewhere: ReadonlySet<string>): ContentBlock[] {
  if (!Array.isArray(calls)) return [];
  const blocks: ContentBlock[] = [];
  for (const call of calls) {
    if (!isObject(call) || typeof call.name !== 'string') {
      blocks.push({ type: 'unknown', raw: call });
      continue;
    }
    const id = str(call.id);
    blocks.push({ type: 'tool_call', id, name: call.name, input: call.args ?? null });
    if (id !== null && answeredElsewhere.has(id)) continue;
    if (call.result === undefined || call.result === null) continue;
    const parts = contentBlocks(call.result);
    const response = parts.find((b): b is Extract<ContentBlock, { type: 'tool_result' }> => b.type === 'tool_result');
    const rest = parts.filter((b) => b.type !== 'tool_result');
    const isError = call.status === 'error' || response?.isError === true;
    blocks.push({ type: 'tool_result', toolCallId: id, content: [...(response?.content ?? []), ...rest], isError });
  }
  return blocks;
}

/** A `/command` or `?` help is a command; Gemini's injected session and hook context is context. */
function userMark(text: string): MessageMark | null {
  const t = text.trimStart();
  if (t.startsWith('<session_context>') || t.startsWith('<hook_context>')) return 'context';
  if (t.startsWith('/') || t.startsWith('?')) return 'command';
  return null;
}

export interface NodeOptions {
  /** Call ids whose results have a user message of their own (newer Gemini CLIs). */
  answeredElsewhere: ReadonlySet<string>;
  /** The subagent lane the message belongs to. */
  lane?: string;
  id?: string;
  parentId?: string | null;
}

export function messageNode(node: ConversationNode, options: NodeOptions): MessageNode {
  const record = node.record;
  const type = node.unknown ? '(unknown record)' : (str(record.type) ?? '(no type)');
  let role: Role = 'unknown';
  let content: ContentBlock[];
  const marks: MessageMark[] = [];
  const metadata: Json = {};
  switch (type) {
    case 'user': {
      // displayContent is what the user typed; content what was sent (with @file expansions).
      content = contentBlocks(record.displayContent ?? record.content);
      const onlyResults = content.length > 0 && content.every((b) => b.type === 'tool_result');
      role = onlyResults ? 'tool' : 'user';
      const text = content.find((b) => b.type === 'text');
      const mark = text && text.type === 'text' ? userMark(text.text) : null;
      if (mark && !onlyResults) marks.push(mark);
      if (record.displayContent !== undefined) metadata.sentContent = record.content;
      break;
    }
    case 'gemini':
      role = 'assistant';
      content = [...thoughtBlocks(record.thoughts), ...contentBlocks(record.content), ...toolCallBlocks(record.toolCalls, options.answeredElsewhere)];
      if (isObject(record.tokens)) metadata.tokens = record.tokens;
      break;
    case 'info':
    case 'warning':
    case 'error':
      role = 'system';
      content = contentBlocks(record.content);
      marks.push('meta');
      break;
    default:
      content = [{ type: 'unknown', raw: record }];
  }
  if (node.versions > 1) metadata.versions = node.versions;
  const model = str(record.model);
  return {
    id: options.id ?? node.id,
    parentId: options.parentId !== undefined ? options.parentId : node.parentId,
    role,
    kind: type,
    timestamp: parseTimestamp(record.timestamp),
    content,
    metadata: Object.keys(metadata).length ? metadata : null,
    ...(marks.length ? { marks } : {}),
    ...(model ? { model } : {}),
    ...(options.lane ? { lane: options.lane } : {}),
    location: node.line !== undefined ? { line: node.line } : { index: node.index },
    raw: record,
  };
}

/** Call ids answered by a user message of their own (functionResponse parts). */
export function answeredElsewhere(nodes: readonly ConversationNode[]): Set<string> {
  const ids = new Set<string>();
  for (const n of nodes) {
    if (n.record.type !== 'user' || !Array.isArray(n.record.content)) continue;
    for (const part of n.record.content) if (isObject(part) && isObject(part.functionResponse) && typeof part.functionResponse.id === 'string') ids.add(part.functionResponse.id);
  }
  return ids;
}
