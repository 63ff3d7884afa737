import { plainText } from '../model/content';
import type { ContentBlock } from '../model/types';

/**
 * Arbor's blocks as Open WebUI keeps a message: one markdown string with its panels as
 * `<details type="…">` elements (what its own middleware writes, so its chat view draws them as
 * its own: reasoning, tool calls with their results), and the images and files the message carried
 * in `files`. The inverse of content.ts: what it reads back is what was written, except that files
 * always come first (Open WebUI draws them above the text).
 */

export interface RenderedMessage {
  content: string;
  files: Array<Record<string, unknown>>;
  /** What Open WebUI has no place for (said once per import in the preview). */
  lost: string[];
}

export const RENDER_LOST = {
  redacted: 'redacted thinking (Open WebUI keeps reasoning text only)',
  orphanImage: 'images without data or address',
  otherBlocks: 'other content blocks written as JSON text',
  resultBlocks: 'tool results other than text written as JSON text',
} as const;

/** What Python's html.escape does to an attribute value (content.ts undoes it). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' })[c]!);
}

function reasoning(text: string): string {
  const quoted = escapeHtml(text)
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');
  return `<details type="reasoning" done="true">\n<summary>Thought</summary>\n${quoted}\n</details>`;
}

function resultText(blocks: readonly ContentBlock[], lost: Set<string>): string {
  if (blocks.every((b) => b.type === 'text')) return plainText(blocks);
  lost.add(RENDER_LOST.resultBlocks);
  return JSON.stringify(blocks);
}

function toolPanel(id: string | null, name: string, input: unknown, result: Extract<ContentBlock, { type: 'tool_result' }> | null, lost: Set<string>): string {
  const attrs = [
    'done="true"',
    `id="${escapeHtml(id ?? '')}"`,
    `name="${escapeHtml(name)}"`,
    `arguments="${name === '' ? '' : escapeHtml(JSON.stringify(input ?? null))}"`,
    ...(result ? [`result="${escapeHtml(JSON.stringify(resultText(result.content, lost)))}"`] : []),
    ...(result?.isError ? ['error="true"'] : []),
  ];
  return `<details type="tool_calls" ${attrs.join(' ')}>\n<summary>Tool Executed</summary>\n</details>`;
}

export function renderMessage(blocks: readonly ContentBlock[]): RenderedMessage {
  const parts: string[] = [];
  const files: Array<Record<string, unknown>> = [];
  const lost = new Set<string>();
  // A result that answers a call of the same message is drawn inside the call's panel, as Open WebUI does.
  const callIds = new Set(blocks.flatMap((b) => (b.type === 'tool_call' && b.id ? [b.id] : [])));
  const resultOf = new Map<string, Extract<ContentBlock, { type: 'tool_result' }>>();
  for (const b of blocks) if (b.type === 'tool_result' && b.toolCallId && callIds.has(b.toolCallId) && !resultOf.has(b.toolCallId)) resultOf.set(b.toolCallId, b);
  const paired = new Set(resultOf.values());
  for (const b of blocks) {
    switch (b.type) {
      case 'text':
        if (b.text !== '') parts.push(b.text);
        break;
      case 'thinking':
        if (b.redacted) lost.add(RENDER_LOST.redacted);
        else parts.push(reasoning(b.text));
        break;
      case 'tool_call':
        parts.push(toolPanel(b.id, b.name, b.input, b.id ? (resultOf.get(b.id) ?? null) : null, lost));
        break;
      case 'tool_result':
        if (!paired.has(b)) parts.push(toolPanel(b.toolCallId, '', null, b, lost));
        break;
      case 'image':
        if (b.data !== null) files.push({ type: 'image', url: `data:${b.mediaType ?? 'application/octet-stream'};base64,${b.data}` });
        else if (b.url !== null) files.push({ type: 'image', url: b.url });
        else lost.add(RENDER_LOST.orphanImage);
        break;
      case 'attachment':
        files.push({ type: 'file', name: b.name, ...(b.size !== null ? { size: b.size } : {}), ...(b.mediaType !== null ? { content_type: b.mediaType } : {}), ...(b.ref !== null ? { id: b.ref } : {}) });
        break;
      default:
        lost.add(RENDER_LOST.otherBlocks);
        parts.push(JSON.stringify(b.raw));
    }
  }
  return { content: parts.join('\n\n'), files, lost: [...lost] };
}
