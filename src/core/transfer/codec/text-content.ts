import type { ContentBlock } from '../../model/types';
import type { Notes } from './codec';
import { describeAttachment } from '../export/render-common';
import { LOST } from './lost';

/**
 * Blocks as the one text a text-only layout stores (seed 002's and seed 003's `content`). Text stays
 * text; a tool call or result becomes a bracketed line a reader of the history can still follow;
 * thinking is dropped (it is the model's scratchpad, not part of the conversation a text backend
 * replays); an image becomes a placeholder naming it. A single text block comes back unchanged, so
 * flattening what a text layout already holds changes nothing.
 */
export function flattenToText(blocks: readonly ContentBlock[], notes: Notes | null): string {
  const parts: string[] = [];
  for (const b of blocks) {
    switch (b.type) {
      case 'text':
        parts.push(b.text);
        break;
      case 'thinking':
        notes?.lost(LOST.thinking);
        break;
      case 'tool_call':
        notes?.lost(LOST.toolBlocks);
        parts.push(`[tool call ${b.name}${b.id ? ` (${b.id})` : ''}] ${jsonText(b.input)}`);
        break;
      case 'tool_result': {
        notes?.lost(LOST.toolBlocks);
        const inner = flattenToText(b.content, notes);
        parts.push(`[tool result${b.toolCallId ? ` (${b.toolCallId})` : ''}${b.isError ? ', error' : ''}]${inner ? `\n${inner}` : ''}`);
        break;
      }
      case 'image':
        notes?.lost(LOST.images);
        parts.push(`[image${b.mediaType ? ` ${b.mediaType}` : ''}${b.url ? ` ${b.url}` : ''}]`);
        break;
      case 'attachment':
        // Already a placeholder in the source: the text says what it was, nothing more is lost.
        parts.push(`[${describeAttachment(b.name, b.mediaType, b.size)}]`);
        break;
      case 'unknown':
        notes?.lost(LOST.otherBlocks);
        parts.push(jsonText(b.raw));
        break;
    }
  }
  return parts.join('\n\n');
}

function jsonText(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
