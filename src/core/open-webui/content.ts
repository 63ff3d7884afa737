import { normalizeContent } from '../model/content';
import type { ContentBlock } from '../model/types';

/**
 * An Open WebUI message's content as Arbor's blocks. Open WebUI keeps one markdown string per
 * message and embeds what it shows as collapsible panels in it as `<details type="…">` elements:
 * reasoning (`type="reasoning"`, the thought quoted line by line), tool calls (`type="tool_calls"`,
 * name, arguments and result HTML-escaped in attributes) and code runs (`type="code_interpreter"`).
 * Those become thinking, tool call and tool result blocks; any other HTML stays text (the renderer
 * shows text, never HTML). Files the message carried become attachments: they live in Open WebUI's
 * upload folder, not in the database.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The panel kinds Open WebUI writes into content; `<details>` of any other type is the user's own HTML. */
const PANEL = /<details\s+type="(reasoning|tool_calls|code_interpreter)"([^>]*)>([\s\S]*?)<\/details>/g;
const ATTRIBUTE = /([A-Za-z_][\w-]*)="([^"]*)"/g;
const SUMMARY = /^\s*<summary>[\s\S]*?<\/summary>\s*/;

/** Python's html.escape, undone (Open WebUI escapes attribute values with it). */
export function unescapeHtml(text: string): string {
  return text.replace(/&(quot|amp|lt|gt|#x27|#39|#34|apos);/g, (_, name: string) => {
    switch (name) {
      case 'quot':
      case '#34':
        return '"';
      case 'amp':
        return '&';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      default:
        return "'";
    }
  });
}

function attributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(ATTRIBUTE)) out[m[1]] = unescapeHtml(m[2]);
  return out;
}

/** An attribute that holds JSON: parsed, or the text itself when it is not JSON. */
function jsonAttribute(value: string | undefined): unknown {
  if (value === undefined || value === '') return null;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** A tool's result as text: Open WebUI stores a JSON string of the tool's output (itself often JSON). */
function resultText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return JSON.stringify(value, null, 2);
}

/**
 * The quoted lines of a reasoning panel, unquoted. Writers escape the thought's text and some escape
 * the quote mark with it ("&gt; …"), so each line is unescaped before its one quote mark goes.
 */
function reasoningText(body: string): string {
  const lines = body.replace(SUMMARY, '').replace(/\s+$/, '').split('\n');
  return lines.map((l) => unescapeHtml(l).replace(/^> ?/, '')).join('\n').trim();
}

function panelBlocks(kind: string, attrs: Record<string, string>, body: string): ContentBlock[] {
  if (kind === 'reasoning') return [{ type: 'thinking', text: reasoningText(body), redacted: false }];
  if (kind === 'code_interpreter') {
    const code = body.replace(SUMMARY, '').trim();
    const blocks: ContentBlock[] = [{ type: 'tool_call', id: attrs.id ?? null, name: 'code_interpreter', input: { code } }];
    if (attrs.output !== undefined) blocks.push({ type: 'tool_result', toolCallId: attrs.id ?? null, content: normalizeContent(resultText(jsonAttribute(attrs.output))), isError: false });
    return blocks;
  }
  const id = attrs.id ?? null;
  const blocks: ContentBlock[] = [];
  // A result written without its call (Arbor writes a lone tool result so) has no name and no arguments.
  if (attrs.name || attrs.arguments) blocks.push({ type: 'tool_call', id, name: attrs.name || 'tool', input: jsonAttribute(attrs.arguments) });
  if (attrs.result !== undefined) {
    blocks.push({ type: 'tool_result', toolCallId: id, content: normalizeContent(resultText(jsonAttribute(attrs.result))), isError: attrs.error === 'true' });
  }
  return blocks;
}

/** Text with Open WebUI's panels turned into blocks; the text around them stays text. */
export function contentBlocksOf(content: string): ContentBlock[] {
  if (!content.includes('<details')) return content.trim() === '' ? [] : [{ type: 'text', text: content }];
  const blocks: ContentBlock[] = [];
  let at = 0;
  const text = (piece: string) => {
    if (piece.trim() !== '') blocks.push({ type: 'text', text: piece.trim() });
  };
  for (const m of content.matchAll(PANEL)) {
    text(content.slice(at, m.index));
    blocks.push(...panelBlocks(m[1], attributes(m[2]), m[3]));
    at = m.index + m[0].length;
  }
  text(content.slice(at));
  return blocks;
}

const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+);base64,(.*)$/s;

/** One entry of a message's `files`: an image Open WebUI holds inline, or a pointer to an upload. */
function fileBlock(file: unknown): ContentBlock {
  if (!isObject(file)) return { type: 'unknown', raw: file };
  const url = str(file.url);
  const inner = isObject(file.file) ? file.file : null;
  const meta = inner && isObject(inner.meta) ? inner.meta : isObject(file.meta) ? file.meta : null;
  const mediaType = str(file.content_type) ?? str(meta?.content_type) ?? null;
  const data = url !== null ? DATA_URL.exec(url) : null;
  if (file.type === 'image' || (mediaType?.startsWith('image/') ?? false)) {
    if (data) return { type: 'image', mediaType: data[1], data: data[2], url: null };
    if (url !== null && /^https?:\/\//i.test(url)) return { type: 'image', mediaType, data: null, url };
  }
  const size = typeof file.size === 'number' ? file.size : typeof meta?.size === 'number' ? meta.size : null;
  return {
    type: 'attachment',
    name: str(file.name) ?? str(inner?.filename) ?? str(meta?.name) ?? null,
    mediaType: data ? data[1] : mediaType,
    size: size !== null && Number.isFinite(size) ? size : null,
    ref: str(file.id) ?? (data ? null : url),
  };
}

/** Everything a message shows: its files (above the text, as Open WebUI draws them), its content, its error. */
export function messageBlocks(message: Json): ContentBlock[] {
  const blocks: ContentBlock[] = Array.isArray(message.files) ? message.files.map(fileBlock) : [];
  const content = message.content;
  if (typeof content === 'string') blocks.push(...contentBlocksOf(content));
  else if (content !== undefined && content !== null) blocks.push(...normalizeContent(content));
  const error = message.error;
  if (error !== undefined && error !== null && error !== false) {
    const text = isObject(error) ? (str(error.content) ?? str(error.message) ?? JSON.stringify(error)) : typeof error === 'string' ? error : null;
    if (text) blocks.push({ type: 'text', text: `Error: ${text}` });
  }
  return blocks;
}
