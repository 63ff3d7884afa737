import { normalizeBlock, normalizeRole } from '../../model/content';
import type { ContentBlock, Role } from '../../model/types';

/**
 * One LangChain message as `message_to_dict` stores it: `{"type": …, "data": message.model_dump()}`.
 * `type` is human, ai, system, tool, function, chat (with its own `role`) or a chunk's class name;
 * `data.content` is a string or a list of content blocks; an AI message's tool calls are in
 * `data.tool_calls` (and, from OpenAI, again in `additional_kwargs.tool_calls`); a tool message
 * answers `data.tool_call_id`.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export interface LangchainMessage {
  role: Role;
  kind: string;
  content: ContentBlock[];
  model: string | null;
  metadata: Json | null;
}

const ROLE_OF_TYPE: Record<string, Role> = {
  human: 'user',
  humanmessagechunk: 'user',
  ai: 'assistant',
  aimessagechunk: 'assistant',
  system: 'system',
  systemmessagechunk: 'system',
  tool: 'tool',
  toolmessagechunk: 'tool',
  function: 'tool',
  functionmessagechunk: 'tool',
};

/** True for a value that is a stored LangChain message (for detection). */
export function isLangchainMessage(value: unknown): boolean {
  return isObject(value) && typeof value.type === 'string' && isObject(value.data);
}

const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+);base64,(.*)$/s;

/** Content blocks LangChain has and Arbor's normaliser does not: OpenAI's image_url, the standard image block. */
function block(b: unknown): ContentBlock {
  if (isObject(b) && b.type === 'image_url') {
    const url = isObject(b.image_url) ? str(b.image_url.url) : str(b.image_url);
    const data = url ? DATA_URL.exec(url) : null;
    if (data) return { type: 'image', mediaType: data[1], data: data[2], url: null };
    if (url) return { type: 'image', mediaType: null, data: null, url };
  }
  if (isObject(b) && b.type === 'image' && typeof b.data === 'string' && (b.source_type === 'base64' || b.base64 !== undefined || typeof b.mime_type === 'string')) {
    return { type: 'image', mediaType: str(b.mime_type), data: b.data, url: null };
  }
  return normalizeBlock(b);
}

function contentOf(content: unknown): ContentBlock[] {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (Array.isArray(content)) return content.map(block);
  return [block(content)];
}

/** An AI message's tool calls: LangChain's own list, else OpenAI's raw one; none already in the content. */
function toolCalls(data: Json, content: readonly ContentBlock[]): ContentBlock[] {
  const present = new Set(content.flatMap((b) => (b.type === 'tool_call' && b.id ? [b.id] : [])));
  const standard = Array.isArray(data.tool_calls) ? data.tool_calls : [];
  const kwargs = isObject(data.additional_kwargs) ? data.additional_kwargs : {};
  const raw = standard.length ? [] : Array.isArray(kwargs.tool_calls) ? kwargs.tool_calls : [];
  const out: ContentBlock[] = [];
  for (const call of standard) {
    if (!isObject(call)) continue;
    const id = str(call.id);
    if (id !== null && present.has(id)) continue;
    out.push({ type: 'tool_call', id, name: str(call.name) ?? 'tool', input: call.args ?? null });
  }
  for (const call of raw) {
    if (!isObject(call)) continue;
    const fn = isObject(call.function) ? call.function : {};
    const id = str(call.id);
    if (id !== null && present.has(id)) continue;
    out.push({ type: 'tool_call', id, name: str(fn.name) ?? 'tool', input: parseArguments(fn.arguments) });
  }
  if (!standard.length && !raw.length && isObject(kwargs.function_call)) {
    const fn = kwargs.function_call;
    out.push({ type: 'tool_call', id: null, name: str(fn.name) ?? 'function', input: parseArguments(fn.arguments) });
  }
  return out;
}

function parseArguments(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** The model that wrote an AI message, where its provider reported one. */
function modelOf(data: Json): string | null {
  const meta = isObject(data.response_metadata) ? data.response_metadata : null;
  return str(meta?.model_name) ?? str(meta?.model) ?? null;
}

export function readLangchainMessage(value: Json): LangchainMessage {
  const type = value.type as string;
  const data = value.data as Json;
  let role: Role = ROLE_OF_TYPE[type.toLowerCase()] ?? 'unknown';
  if (type === 'chat' || type === 'ChatMessageChunk') role = normalizeRole(data.role);
  let content = contentOf(data.content);
  if (role === 'assistant') content = [...content, ...toolCalls(data, content)];
  if (role === 'tool') {
    const callId = str(data.tool_call_id) ?? (type === 'function' ? str(data.name) : null);
    content = [{ type: 'tool_result', toolCallId: callId, content, isError: data.status === 'error' }];
  }
  const metadata: Json = {};
  for (const key of ['name', 'id', 'additional_kwargs', 'response_metadata', 'usage_metadata', 'invalid_tool_calls', 'artifact', 'status', 'example']) {
    const v = data[key];
    if (v === undefined || v === null || v === false) continue;
    if ((Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0)) continue;
    metadata[key] = v;
  }
  return { role, kind: type, content, model: role === 'assistant' ? modelOf(data) : null, metadata: Object.keys(metadata).length ? metadata : null };
}
