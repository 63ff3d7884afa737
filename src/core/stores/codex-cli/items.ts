import { normalizeRole } from '../../model/content';
import type { ContentBlock, MessageMark, Role } from '../../model/types';
import { markOfUserTexts } from './context';

/**
 * One `response_item` (or a compaction) of a rollout as the parts of a message Arbor shows: its
 * blocks, the side of the conversation it belongs to, and the keys by which an `event_msg` copy of
 * it is recognised. Tool calls keep Codex's `call_id`, so the transcript pairs each call with its
 * output; encrypted reasoning is shown as encrypted, never decoded.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * Where a part goes: consecutive `assistant` parts (reasoning, text, tool calls of one model reply)
 * make one message, consecutive `tool` parts (their outputs) another; `own` parts are a message each.
 */
export type Side = 'assistant' | 'tool' | 'own';

export interface ItemShape {
  side: Side;
  role: Role;
  blocks: ContentBlock[];
  marks: MessageMark[];
  /** Texts an event copy of this item would carry, for showing it once. */
  keys: CopyKey[];
  /** False for a type Arbor does not know: it is kept whole and reported. */
  known: boolean;
}

/**
 * A text by which an event copy is matched to its original: the text itself (not copied: answers run
 * to many kilobytes), where it starts and ends without surrounding whitespace, and a short bucket
 * (kind, length, opening) to find candidates by; equal buckets are then compared in full.
 */
export interface CopyKey {
  kind: 'user' | 'assistant' | 'reasoning';
  text: string;
  start: number;
  end: number;
  bucket: string;
}

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029;

export function copyKey(kind: CopyKey['kind'], text: string): CopyKey {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return { kind, text, start, end, bucket: `${kind}:${end - start}:${text.slice(start, Math.min(end, start + 48))}` };
}

export function sameText(a: CopyKey, b: CopyKey): boolean {
  return a.kind === b.kind && a.end - a.start === b.end - b.start && a.text.slice(a.start, a.end) === b.text.slice(b.start, b.end);
}

/** `data:image/png;base64,...` into an image block; other URLs stay links, never fetched. */
export function imageBlock(url: unknown): ContentBlock {
  const text = str(url);
  if (text === null) return { type: 'unknown', raw: url };
  const data = /^data:([^;,]+)?(;base64)?,(.*)$/s.exec(text);
  if (data && data[2]) return { type: 'image', mediaType: data[1] ?? null, data: data[3], url: null };
  return { type: 'image', mediaType: null, data: null, url: text };
}

function contentBlocks(content: unknown): ContentBlock[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content)) return content === undefined || content === null ? [] : [{ type: 'unknown', raw: content }];
  return content.map((c): ContentBlock => {
    if (!isObject(c)) return { type: 'unknown', raw: c };
    switch (c.type) {
      case 'input_text':
      case 'output_text':
      case 'text':
        if (typeof c.text === 'string') return { type: 'text', text: c.text };
        break;
      case 'refusal':
        if (typeof c.refusal === 'string') return { type: 'text', text: c.refusal };
        break;
      case 'input_image':
        return imageBlock(c.image_url);
      default:
        break;
    }
    return { type: 'unknown', raw: c };
  });
}

const textsOf = (blocks: readonly ContentBlock[]) => blocks.flatMap((b) => (b.type === 'text' ? [b.text] : []));

/** Tool arguments are a JSON string in the rollout; shown parsed when they parse, verbatim otherwise. */
function parseArguments(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function toolName(payload: Json, fallback: string): string {
  const name = str(payload.name) ?? fallback;
  const ns = str(payload.namespace);
  if (!ns) return name;
  return /[_.:/]$/.test(ns) ? `${ns}${name}` : `${ns}.${name}`;
}

/** A tool output: a string, content items, or `{content, success}`; `success: false` is an error. */
function outputResult(callId: string | null, output: unknown): ContentBlock {
  let content: ContentBlock[];
  let isError = false;
  if (typeof output === 'string') content = output === '' ? [] : [{ type: 'text', text: output }];
  else if (Array.isArray(output)) content = contentBlocks(output);
  else if (isObject(output)) {
    isError = output.success === false;
    content = typeof output.content === 'string' ? [{ type: 'text', text: output.content }] : contentBlocks(output.content ?? output.body);
  } else content = output === undefined || output === null ? [] : [{ type: 'unknown', raw: output }];
  return { type: 'tool_result', toolCallId: callId, content, isError };
}

function reasoningBlocks(payload: Json): { blocks: ContentBlock[]; keys: CopyKey[] } {
  const blocks: ContentBlock[] = [];
  const keys: CopyKey[] = [];
  for (const s of Array.isArray(payload.summary) ? payload.summary : []) {
    const text = isObject(s) ? str(s.text) : str(s);
    if (text !== null) {
      blocks.push({ type: 'thinking', text, redacted: false });
      keys.push(copyKey('reasoning', text));
    }
  }
  for (const c of Array.isArray(payload.content) ? payload.content : []) {
    const text = isObject(c) ? str(c.text) : str(c);
    if (text !== null) {
      blocks.push({ type: 'thinking', text, redacted: false });
      keys.push(copyKey('reasoning', text));
    }
  }
  // Only the provider can read encrypted reasoning: say it is there, never decode it.
  if (blocks.length === 0 && typeof payload.encrypted_content === 'string') blocks.push({ type: 'thinking', text: '', redacted: true });
  return { blocks, keys };
}

const assistant = (blocks: ContentBlock[], keys: CopyKey[] = []): ItemShape => ({ side: 'assistant', role: 'assistant', blocks, marks: [], keys, known: true });
const tool = (block: ContentBlock): ItemShape => ({ side: 'tool', role: 'tool', blocks: [block], marks: [], keys: [], known: true });

export function responseItemShape(payload: Json): ItemShape {
  switch (payload.type) {
    case 'message': {
      const blocks = contentBlocks(payload.content);
      const role = str(payload.role);
      if (role === 'assistant') return assistant(blocks, [copyKey('assistant', textsOf(blocks).join('\n'))]);
      if (role === 'user') {
        const mark = markOfUserTexts(textsOf(blocks));
        return { side: 'own', role: 'user', blocks, marks: mark ? [mark] : [], keys: mark ? [] : [copyKey('user', textsOf(blocks).join('\n'))], known: true };
      }
      // developer and system turns are the instructions Codex sends, never typed in the conversation.
      return { side: 'own', role: normalizeRole(role) === 'unknown' ? 'system' : normalizeRole(role), blocks, marks: ['context'], keys: [], known: true };
    }
    case 'reasoning': {
      const { blocks, keys } = reasoningBlocks(payload);
      return assistant(blocks, keys);
    }
    case 'function_call':
      return assistant([{ type: 'tool_call', id: str(payload.call_id) ?? str(payload.id), name: toolName(payload, 'function'), input: parseArguments(payload.arguments) }]);
    case 'custom_tool_call':
      return assistant([{ type: 'tool_call', id: str(payload.call_id) ?? str(payload.id), name: toolName(payload, 'custom_tool'), input: payload.input ?? null }]);
    case 'local_shell_call':
      return assistant([{ type: 'tool_call', id: str(payload.call_id) ?? str(payload.id), name: 'local_shell', input: payload.action ?? null }]);
    case 'tool_search_call':
      return assistant([{ type: 'tool_call', id: str(payload.call_id), name: 'tool_search', input: parseArguments(payload.arguments) }]);
    case 'web_search_call':
      // The search runs on the provider's side: the rollout keeps the query, not the results.
      return assistant([{ type: 'tool_call', id: str(payload.id), name: 'web_search', input: payload.action ?? { status: payload.status ?? null } }]);
    case 'image_generation_call': {
      const blocks: ContentBlock[] = [{ type: 'tool_call', id: str(payload.id), name: 'image_generation', input: { revised_prompt: payload.revised_prompt ?? null, status: payload.status ?? null } }];
      if (typeof payload.result === 'string' && payload.result !== '') blocks.push({ type: 'image', mediaType: 'image/png', data: payload.result, url: null });
      return assistant(blocks);
    }
    case 'function_call_output':
    case 'custom_tool_call_output':
    case 'local_shell_call_output':
      return tool(outputResult(str(payload.call_id), payload.output));
    case 'tool_search_output':
      return tool(outputResult(str(payload.call_id), payload.tools ?? payload.output));
    case 'compaction':
    case 'compaction_summary':
      return {
        side: 'own',
        role: 'system',
        blocks: [{ type: 'text', text: 'The context was compacted on the provider side; its summary is encrypted and only the provider can read it.' }],
        marks: ['compaction-summary'],
        keys: [],
        known: true,
      };
    default:
      return { side: 'own', role: 'unknown', blocks: [{ type: 'unknown', raw: payload }], marks: [], keys: [], known: false };
  }
}

/** A `compacted` line: the summary that replaced the history before it. */
export function compactedShape(payload: Json): ItemShape {
  const text = str(payload.message) ?? '';
  return { side: 'own', role: 'system', blocks: text ? [{ type: 'text', text }] : [], marks: ['compaction-summary'], keys: [], known: true };
}

/** The `event_msg` records that may be copies of a response item (shown once) or the only record of it. */
export function eventCopyShape(payload: Json): ItemShape | null {
  switch (payload.type) {
    case 'user_message': {
      const text = str(payload.message) ?? '';
      const blocks: ContentBlock[] = text ? [{ type: 'text', text }] : [];
      for (const image of Array.isArray(payload.images) ? payload.images : []) blocks.push(imageBlock(image));
      const mark = markOfUserTexts([text]);
      return { side: 'own', role: 'user', blocks, marks: mark ? [mark] : [], keys: [copyKey('user', text)], known: true };
    }
    case 'agent_message': {
      const text = str(payload.message) ?? '';
      return assistant(text ? [{ type: 'text', text }] : [], [copyKey('assistant', text)]);
    }
    case 'agent_reasoning':
    case 'agent_reasoning_raw_content': {
      const text = str(payload.text) ?? '';
      return assistant([{ type: 'thinking', text, redacted: false }], [copyKey('reasoning', text)]);
    }
    default:
      return null;
  }
}

export const RESPONSE_ITEM_TYPES = new Set([
  'message',
  'reasoning',
  'function_call',
  'function_call_output',
  'custom_tool_call',
  'custom_tool_call_output',
  'local_shell_call',
  'local_shell_call_output',
  'web_search_call',
  'tool_search_call',
  'tool_search_output',
  'image_generation_call',
  'compaction',
  'compaction_summary',
  'ghost_snapshot',
]);
