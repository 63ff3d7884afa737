import { plainText } from '../model/content';
import type { ContentBlock } from '../model/types';

const PREVIEW_LENGTH = 140;

/** One line that says what a message holds: its text, or the kinds of its blocks when it has none. */
export function previewOf(content: readonly ContentBlock[]): string {
  const text = plainText(content).replace(/\s+/g, ' ').trim();
  if (text) return text.length > PREVIEW_LENGTH ? `${text.slice(0, PREVIEW_LENGTH - 1)}…` : text;
  const kinds = content.map((b) => (b.type === 'tool_call' ? `tool call ${b.name}` : b.type.replace('_', ' ')));
  return kinds.length ? `[${kinds.join(', ')}]` : '[empty]';
}
