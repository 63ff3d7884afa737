import { fenced } from '../../chat-export/fence';
import { normalizeBlock } from '../../model/content';
import type { ContentBlock } from '../../model/types';

/**
 * A claude.ai message's `content` blocks (`text`, `thinking`, `tool_use`, `tool_result`, and newer
 * ones), its `attachments` (uploaded documents: name, type, size and the text claude.ai extracted,
 * which the export does include) and its `files` (images and other files: names and ids only).
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

const KNOWN = new Set(['text', 'thinking', 'redacted_thinking', 'tool_use', 'tool_result', 'voice_note', 'image']);

export interface ReadContent {
  blocks: ContentBlock[];
  /** Block types Arbor does not know (kept as unknown blocks). */
  unknownTypes: string[];
}

export function readContent(message: Json): ReadContent {
  const blocks: ContentBlock[] = [];
  const unknownTypes: string[] = [];
  const content = Array.isArray(message.content) ? message.content : null;
  if (content && content.length) {
    for (const block of content) blocks.push(...blockOf(block, unknownTypes));
  }
  // Older exports keep only `text`; newer ones repeat it in the blocks, which win.
  if (!blocks.some((b) => b.type === 'text') && !content?.length) {
    const text = str(message.text);
    if (text) blocks.push({ type: 'text', text });
  }
  for (const a of Array.isArray(message.attachments) ? message.attachments : []) blocks.push(...attachmentOf(a));
  const seen = new Set<string>();
  for (const list of [message.files, message.files_v2]) {
    for (const f of Array.isArray(list) ? list : []) {
      if (!isObject(f)) continue;
      const ref = str(f.file_uuid) ?? str(f.uuid);
      const key = ref ?? str(f.file_name) ?? '';
      if (seen.has(key)) continue;
      seen.add(key);
      blocks.push({ type: 'attachment', name: str(f.file_name), mediaType: str(f.file_kind) ?? str(f.file_type), size: num(f.file_size), ref });
    }
  }
  return { blocks, unknownTypes };
}

function blockOf(block: unknown, unknownTypes: string[]): ContentBlock[] {
  if (!isObject(block)) return [{ type: 'unknown', raw: block }];
  const type = str(block.type) ?? '';
  if (!KNOWN.has(type)) {
    unknownTypes.push(type || '(no type)');
    return [{ type: 'unknown', raw: block }];
  }
  switch (type) {
    case 'text': {
      const text = str(block.text);
      return text ? [{ type: 'text', text }] : [];
    }
    case 'thinking': {
      const text = str(block.thinking) ?? str(block.text) ?? '';
      return [{ type: 'thinking', text, redacted: false }];
    }
    case 'voice_note': {
      const text = [str(block.title), str(block.text)].filter((t): t is string => !!t).join('\n\n');
      return text ? [{ type: 'text', text }] : [];
    }
    case 'tool_result':
      return [
        {
          type: 'tool_result',
          toolCallId: str(block.tool_use_id),
          content: toolResultContent(block.content),
          isError: block.is_error === true,
        },
      ];
    default: {
      const normalized = normalizeBlock(block);
      if (normalized.type === 'unknown') unknownTypes.push(type);
      return [normalized];
    }
  }
}

/** A tool result's content: text items (claude.ai adds uuids and file paths), or anything else kept whole. */
function toolResultContent(content: unknown): ContentBlock[] {
  if (typeof content === 'string') return content ? [{ type: 'text', text: content }] : [];
  if (!Array.isArray(content)) return content === undefined || content === null ? [] : [{ type: 'unknown', raw: content }];
  return content.map((item): ContentBlock => (isObject(item) && item.type === 'text' && typeof item.text === 'string' ? { type: 'text', text: item.text } : normalizeBlock(item)));
}

/** An uploaded document: a placeholder with its name, and the text claude.ai extracted from it, verbatim. */
function attachmentOf(a: unknown): ContentBlock[] {
  if (!isObject(a)) return [{ type: 'unknown', raw: a }];
  const name = str(a.file_name) || null;
  const blocks: ContentBlock[] = [{ type: 'attachment', name, mediaType: str(a.file_type) || null, size: num(a.file_size), ref: str(a.id) ?? str(a.file_uuid) }];
  const extracted = str(a.extracted_content);
  // The name stays in the placeholder above: text from the file is never markdown, nor is its name.
  if (extracted) blocks.push({ type: 'text', text: `Extracted text:\n\n${fenced(extracted)}` });
  return blocks;
}

/** The message's text for titles. */
export function promptText(message: Json): string {
  const content = Array.isArray(message.content) ? message.content : [];
  const parts = content.filter((b): b is Json => isObject(b) && b.type === 'text' && typeof b.text === 'string').map((b) => b.text as string);
  const text = parts.join('\n');
  return text || (str(message.text) ?? '');
}
