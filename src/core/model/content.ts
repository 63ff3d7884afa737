import { MAX_NESTING } from './nesting';
import type { ContentBlock, Role } from './types';

/**
 * Normalises the content shapes stores write into Arbor's blocks. Anything not recognised is kept
 * whole as an `unknown` block, so nothing the store holds is hidden from the user. Readers bound
 * nesting before content gets here (model/nesting.ts); tool results inside tool results are still
 * followed only that many levels, so no input can make normalisation overflow the stack.
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Content that is a string or an array of Anthropic/OpenAI-style blocks. */
export function normalizeContent(content: unknown, depth = 0): ContentBlock[] {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (Array.isArray(content)) return content.map((b) => normalizeBlock(b, depth));
  return [normalizeBlock(content, depth)];
}

/** `depth`: how many tool results this block sits in; beyond the bound a block is kept raw. */
export function normalizeBlock(block: unknown, depth = 0): ContentBlock {
  if (typeof block === 'string') return { type: 'text', text: block };
  if (depth >= MAX_NESTING) return { type: 'unknown', raw: block };
  if (!isObject(block)) return { type: 'unknown', raw: block };
  switch (block.type) {
    case 'text':
    case 'input_text':
    case 'output_text':
      if (typeof block.text === 'string') return { type: 'text', text: block.text };
      break;
    case 'thinking':
    case 'reasoning':
      if (typeof block.thinking === 'string') return { type: 'thinking', text: block.thinking, redacted: false };
      if (typeof block.text === 'string') return { type: 'thinking', text: block.text, redacted: false };
      break;
    case 'redacted_thinking':
      return { type: 'thinking', text: '', redacted: true };
    case 'tool_use':
    case 'tool_call':
    case 'function_call':
      if (typeof block.name === 'string') {
        return {
          type: 'tool_call',
          id: str(block.id) ?? str(block.call_id),
          name: block.name,
          input: block.input ?? block.arguments ?? null,
        };
      }
      break;
    case 'tool_result':
    case 'function_call_output':
      return {
        type: 'tool_result',
        toolCallId: str(block.tool_use_id) ?? str(block.toolCallId) ?? str(block.call_id),
        content: normalizeContent(block.content ?? block.output, depth + 1),
        isError: block.is_error === true || block.isError === true,
      };
    case 'image': {
      const source = isObject(block.source) ? block.source : null;
      if (source) {
        return {
          type: 'image',
          mediaType: str(source.media_type),
          data: source.type === 'base64' ? str(source.data) : null,
          url: source.type === 'url' ? str(source.url) : null,
        };
      }
      break;
    }
    case 'attachment':
      // Arbor's own placeholder block (docs/INTERCHANGE.md), read back from an export.
      return {
        type: 'attachment',
        name: str(block.name),
        mediaType: str(block.media_type),
        size: typeof block.size === 'number' && Number.isFinite(block.size) ? block.size : null,
        ref: str(block.ref),
      };
    default:
      break;
  }
  return { type: 'unknown', raw: block };
}

/** Seed-001 messages keep tool calls and results beside the content; fold them into blocks. */
export function normalizeTreeMessageContent(record: Json): ContentBlock[] {
  const blocks = normalizeContent(record.content);
  if (Array.isArray(record.toolCalls)) {
    for (const call of record.toolCalls) {
      if (isObject(call) && typeof call.name === 'string') {
        blocks.push({ type: 'tool_call', id: str(call.id), name: call.name, input: call.arguments ?? call.input ?? null });
      } else {
        blocks.push({ type: 'unknown', raw: call });
      }
    }
  }
  if (isObject(record.toolResult)) {
    const r = record.toolResult;
    blocks.push({
      type: 'tool_result',
      toolCallId: str(r.toolCallId),
      content: normalizeContent(r.content),
      isError: r.isError === true,
    });
  }
  return blocks;
}

/**
 * The message's readable text: text blocks, tool results' text, joined by blank lines (an empty tool
 * result adds nothing). Walked with explicit frames instead of recursion, so tool results nested to
 * any depth cannot overflow the stack.
 */
export function plainText(blocks: readonly ContentBlock[]): string {
  const frames: Array<{ blocks: readonly ContentBlock[]; next: number; parts: string[] }> = [{ blocks, next: 0, parts: [] }];
  for (;;) {
    const frame = frames[frames.length - 1];
    if (frame.next === frame.blocks.length) {
      const text = frame.parts.join('\n\n');
      frames.pop();
      if (frames.length === 0) return text;
      if (text) frames[frames.length - 1].parts.push(text);
      continue;
    }
    const b = frame.blocks[frame.next++];
    if (b.type === 'text') frame.parts.push(b.text);
    else if (b.type === 'tool_result') frames.push({ blocks: b.content, next: 0, parts: [] });
  }
}

export function normalizeRole(value: unknown): Role {
  switch (value) {
    case 'user':
    case 'human':
      return 'user';
    case 'assistant':
    case 'ai':
    case 'model':
    case 'bot':
      return 'assistant';
    case 'system':
    case 'developer':
      return 'system';
    case 'tool':
    case 'tool_call':
    case 'tool_result':
    case 'function':
      return 'tool';
    default:
      return 'unknown';
  }
}

const TITLE_LENGTH = 80;

/**
 * A session title from its first user text: one line, trimmed, at most 80 characters. Anything but
 * a string (a store's BLOB or number that reached here undecoded) has no title.
 */
export function titleFromText(text: string | null | undefined): string | null {
  if (typeof text !== 'string' || text === '') return null;
  // Only the start can show; folding whitespace of a whole pasted log for every list row would not.
  const line = text.slice(0, TITLE_LENGTH * 8).replace(/\s+/g, ' ').trim();
  if (!line) return null;
  return line.length > TITLE_LENGTH ? `${line.slice(0, TITLE_LENGTH - 1)}…` : line;
}

/**
 * A JSON value in a few words for a warning — `"abc"`, `42`, `an object`, `an array of 3 item(s)` —
 * never its whole text: a value in a warning may be megabytes long or nested beyond any stack.
 */
export function describeJson(value: unknown): string {
  if (value === undefined) return 'absent';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return `an array of ${value.length.toLocaleString('en')} item(s)`;
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
