import type { ContentBlock } from '../../model/types';

/**
 * Arbor's blocks written as the Anthropic content blocks every reader of this field already knows
 * (text, image, tool_use, tool_result, thinking, redacted_thinking). `normalizeContent` reads each of
 * these back to exactly the block it came from, which is what makes the interchange lossless for
 * content; an `unknown` block is written as the raw value it was read from, and reads back unknown.
 */

export type WireBlock = Record<string, unknown> | unknown;

export function toWireBlock(block: ContentBlock): WireBlock {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'thinking':
      return block.redacted ? { type: 'redacted_thinking' } : { type: 'thinking', thinking: block.text };
    case 'tool_call':
      return { type: 'tool_use', id: block.id, name: block.name, input: block.input };
    case 'tool_result':
      return {
        type: 'tool_result',
        tool_use_id: block.toolCallId,
        content: block.content.map(toWireBlock),
        ...(block.isError ? { is_error: true } : {}),
      };
    case 'image':
      return { type: 'image', source: imageSource(block) };
    case 'attachment':
      return {
        type: 'attachment',
        name: block.name,
        ...(block.mediaType !== null ? { media_type: block.mediaType } : {}),
        ...(block.size !== null ? { size: block.size } : {}),
        ...(block.ref !== null ? { ref: block.ref } : {}),
      };
    case 'unknown':
      return block.raw;
  }
}

function imageSource(block: Extract<ContentBlock, { type: 'image' }>): Record<string, unknown> {
  const mediaType = block.mediaType === null ? {} : { media_type: block.mediaType };
  if (block.data !== null) return { type: 'base64', ...mediaType, data: block.data };
  if (block.url !== null) return { type: 'url', ...mediaType, url: block.url };
  // Neither data nor URL: the type keeps it an image, the reader finds nothing to show.
  return { type: 'none', ...mediaType };
}

export function toWireBlocks(blocks: readonly ContentBlock[]): WireBlock[] {
  return blocks.map(toWireBlock);
}

/**
 * A single non-empty text block as a plain string (how most stores write a plain message), else
 * blocks. An empty text block stays a block: an empty string reads back as no content at all.
 */
export function toWireContent(blocks: readonly ContentBlock[]): string | WireBlock[] {
  if (blocks.length === 1 && blocks[0].type === 'text' && blocks[0].text !== '') return blocks[0].text;
  return toWireBlocks(blocks);
}
