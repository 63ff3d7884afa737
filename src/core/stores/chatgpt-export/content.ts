import { fenced } from '../../chat-export/fence';
import type { ContentBlock, MessageMark } from '../../model/types';

/**
 * A ChatGPT message's `content` (`{content_type, …}`) as Arbor's blocks. What a person wrote or
 * read as prose is markdown text; code the model wrote (for itself or for a tool) is a fenced code
 * block; what a tool answered (execution output, browsing results, quotes, tool errors, a plugin's
 * text) is a tool result, shown verbatim; images and files the export does not hold are attachment
 * placeholders; an unknown content type is kept whole and visible.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export interface ReadContent {
  blocks: ContentBlock[];
  marks: MessageMark[];
  /** The content type when Arbor does not know it (the content is kept as an unknown block). */
  unknownType: string | null;
}

/** What ChatGPT's `metadata.attachments` says about an uploaded file. */
interface Upload {
  id: string | null;
  name: string | null;
  mimeType: string | null;
  size: number | null;
}

const KNOWN_TYPES = new Set([
  'text',
  'multimodal_text',
  'code',
  'execution_output',
  'tether_browsing_display',
  'tether_quote',
  'sonic_webpage',
  'system_error',
  'user_editable_context',
  'model_editable_context',
  'thoughts',
  'reasoning_recap',
]);

export function readContent(message: Json, role: string): ReadContent {
  const content = isObject(message.content) ? message.content : null;
  const metadata = isObject(message.metadata) ? message.metadata : {};
  const type = str(content?.content_type) ?? (content ? 'unknown' : 'text');
  const marks: MessageMark[] = [];
  const uploads = uploadsOf(metadata);
  const blocks: ContentBlock[] = [];
  let toolOutput = role === 'tool';
  let isError = false;
  const text = (t: string | null) => {
    if (t !== null && t !== '') blocks.push({ type: 'text', text: t });
  };

  switch (type) {
    case 'text':
      for (const part of arrayOf(content?.parts)) {
        if (typeof part === 'string') text(part);
        else if (part !== null && part !== undefined) blocks.push({ type: 'unknown', raw: part });
      }
      break;
    case 'multimodal_text':
      for (const part of arrayOf(content?.parts)) blocks.push(...partBlocks(part, uploads));
      break;
    case 'code': {
      const code = str(content?.text);
      if (code !== null && code !== '') blocks.push({ type: 'text', text: fenced(code, languageOf(content?.language)) });
      break;
    }
    case 'execution_output':
      toolOutput = true;
      text(str(content?.text));
      break;
    case 'tether_browsing_display':
      toolOutput = true;
      text([str(content?.summary), str(content?.result)].filter((p): p is string => !!p).join('\n\n'));
      break;
    case 'tether_quote':
    case 'sonic_webpage': {
      toolOutput = true;
      const head = [str(content?.title) ?? str(content?.domain), str(content?.url)].filter((p): p is string => !!p);
      const body = str(content?.text) ?? str(content?.snippet) ?? '';
      text([...head, ...(head.length && body ? [''] : []), body].join('\n'));
      break;
    }
    case 'system_error': {
      toolOutput = true;
      isError = true;
      const name = str(content?.name);
      text(`${name ? `${name}: ` : ''}${str(content?.text) ?? ''}`);
      break;
    }
    case 'user_editable_context': {
      marks.push('context');
      const profile = str(content?.user_profile);
      const instructions = str(content?.user_instructions);
      if (profile) blocks.push({ type: 'text', text: profile });
      if (instructions) blocks.push({ type: 'text', text: instructions });
      break;
    }
    case 'model_editable_context':
      // The model's memory of the user ("bio"), which ChatGPT keeps out of the conversation.
      marks.push('context', 'hidden');
      text(str(content?.model_set_context));
      break;
    case 'thoughts':
      for (const thought of arrayOf(content?.thoughts)) {
        if (!isObject(thought)) continue;
        const t = [str(thought.summary), str(thought.content)].filter((p): p is string => !!p).join('\n\n');
        if (t) blocks.push({ type: 'thinking', text: t, redacted: false });
      }
      break;
    case 'reasoning_recap':
      // "Thought for 12 seconds": ChatGPT's label above the answer.
      marks.push('meta');
      text(str(content?.content));
      break;
    default:
      blocks.push({ type: 'unknown', raw: content });
      break;
  }

  // Uploads named in the metadata but not shown by an image part (PDFs, documents) are attachments too.
  const shown = new Set(blocks.flatMap((b) => (b.type === 'attachment' && b.ref ? [b.ref] : [])));
  for (const u of uploads) {
    if (u.id && [...shown].some((ref) => ref.endsWith(u.id!))) continue;
    blocks.push({ type: 'attachment', name: u.name, mediaType: u.mimeType, size: u.size, ref: u.id });
  }

  // A tool's answer is one result, shown verbatim (no markdown), as every layout shows tool output.
  const shownBlocks: ContentBlock[] = toolOutput && blocks.length ? [{ type: 'tool_result', toolCallId: null, content: blocks, isError }] : blocks;

  if (metadata.is_visually_hidden_from_conversation === true && !marks.includes('hidden')) marks.push('hidden');
  if (metadata.is_user_system_message === true && !marks.includes('context')) marks.push('context');
  if (role === 'system' && !marks.includes('hidden')) marks.push('hidden'); // ChatGPT never shows system messages.
  return { blocks: shownBlocks, marks, unknownType: KNOWN_TYPES.has(type) ? null : type };
}

/** One part of a `multimodal_text`: text, an image or audio pointer, a transcription. */
function partBlocks(part: unknown, uploads: readonly Upload[]): ContentBlock[] {
  if (typeof part === 'string') return part === '' ? [] : [{ type: 'text', text: part }];
  if (!isObject(part)) return part === null || part === undefined ? [] : [{ type: 'unknown', raw: part }];
  const kind = str(part.content_type);
  if (kind === 'audio_transcription') {
    const t = str(part.text);
    return t ? [{ type: 'text', text: t }] : [];
  }
  if (kind !== null && kind.endsWith('asset_pointer')) {
    const ref = str(part.asset_pointer);
    const upload = ref ? uploads.find((u) => u.id !== null && ref.endsWith(u.id)) : undefined;
    const meta = isObject(part.metadata) ? part.metadata : {};
    const width = num(part.width);
    const height = num(part.height);
    const what = kind.startsWith('image') ? (isObject(meta.dalle) ? 'generated image' : 'image') : kind.replace(/_asset_pointer$/, '').replace(/_/g, ' ');
    const name = upload?.name ?? (width !== null && height !== null ? `${what} ${width}×${height}` : what);
    return [{ type: 'attachment', name, mediaType: upload?.mimeType ?? str(part.mime_type) ?? str(meta.mime_type), size: num(part.size_bytes) ?? upload?.size ?? null, ref }];
  }
  if (kind === 'text' && typeof part.text === 'string') return part.text ? [{ type: 'text', text: part.text }] : [];
  return [{ type: 'unknown', raw: part }];
}

function uploadsOf(metadata: Json): Upload[] {
  return arrayOf(metadata.attachments)
    .filter(isObject)
    .map((a) => ({ id: str(a.id), name: str(a.name), mimeType: str(a.mime_type) ?? str(a.mimeType), size: num(a.size) }));
}

function languageOf(value: unknown): string {
  const language = str(value);
  return language && language !== 'unknown' ? language : '';
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The message's text for titles: its text parts only (not tool output, not attachments). */
export function promptText(message: Json): string {
  const content = isObject(message.content) ? message.content : null;
  const type = str(content?.content_type);
  if (type !== 'text' && type !== 'multimodal_text') return '';
  const parts: string[] = [];
  for (const part of arrayOf(content?.parts)) {
    if (typeof part === 'string') parts.push(part);
    else if (isObject(part) && part.content_type === 'audio_transcription' && typeof part.text === 'string') parts.push(part.text);
    if (parts.join('').length > 1000) break;
  }
  return parts.join('\n');
}
