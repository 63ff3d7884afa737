import { plainText } from '../model/content';
import { stringifyJson } from '../model/json-text';
import type { ContentBlock, MessageNode } from '../model/types';
import type { SearchKind } from './types';

/**
 * The first million characters of each kind of a message are indexed: a 20 MB tool output would
 * otherwise hold the service for seconds in one insert, and a word past that is rarely what anyone
 * searches for.
 */
export const MAX_DOC_CHARS = 1_000_000;

/** What of a message is searchable, by kind: its text, its thinking, its tool inputs and outputs. */
export function messageDocs(message: MessageNode): Array<{ kind: SearchKind; text: string }> {
  const parts: Record<SearchKind, string[]> = { text: [], thinking: [], tool: [] };
  collect(message.content, parts);
  const docs: Array<{ kind: SearchKind; text: string }> = [];
  for (const kind of ['text', 'thinking', 'tool'] as const) {
    const text = parts[kind].join('\n').trim();
    if (text) docs.push({ kind, text: text.length > MAX_DOC_CHARS ? text.slice(0, MAX_DOC_CHARS) : text });
  }
  return docs;
}

/** The text of one kind of a message (for snippets), or of all kinds when none matched alone. */
export function textOfKind(message: MessageNode, kind: SearchKind): string {
  return messageDocs(message).find((d) => d.kind === kind)?.text ?? '';
}

function collect(blocks: readonly ContentBlock[], parts: Record<SearchKind, string[]>): void {
  for (const b of blocks) {
    if (b.type === 'text') parts.text.push(b.text);
    else if (b.type === 'thinking') parts.thinking.push(b.text);
    else if (b.type === 'tool_call') parts.tool.push(`${b.name} ${inputText(b.input)}`);
    else if (b.type === 'tool_result') parts.tool.push(plainText(b.content));
    else if (b.type === 'attachment' && b.name) parts.text.push(b.name);
  }
}

function inputText(input: unknown): string {
  if (typeof input === 'string') return input;
  if (input === null || input === undefined) return '';
  try {
    return stringifyJson(input);
  } catch {
    return '';
  }
}
