import { plainText } from '../model/content';
import type { ContentBlock } from '../model/types';

const PREVIEW_LENGTH = 140;

/** One line that says what a message holds: its text, or the kinds of its blocks when it has none. */
export function previewOf(content: readonly ContentBlock[]): string {
  // Only the start can show; folding the whitespace of a 20 MB text for one line took seconds.
  const text = plainText(content).slice(0, PREVIEW_LENGTH * 8).replace(/\s+/g, ' ').trim();
  if (text) return text.length > PREVIEW_LENGTH ? `${text.slice(0, PREVIEW_LENGTH - 1)}…` : text;
  const kinds = content.map((b) => (b.type === 'tool_call' ? `tool call ${b.name}` : b.type.replace('_', ' ')));
  return kinds.length ? `[${kinds.join(', ')}]` : '[empty]';
}
