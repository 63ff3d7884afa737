import { plainText } from '../../model/content';
import type { ContentBlock } from '../../model/types';
import type { TransferSession } from '../session';
import { branchLayout } from './branch-sections';
import { escapeHtml } from './html-escape';
import { HTML_STYLE } from './html-style';
import { markdownToHtml } from './markdown-html';
import { plural } from '../../model/plural';
import { describeAttachment, describeImage, formatTime, roleLabel, sessionFacts, type RenderOptions } from './render-common';
import type { ExportWriter } from './writer';

/**
 * One self-contained HTML file, readable offline: inline style, no script, no remote resource. Every
 * text from a session is escaped; message text is rendered from its Markdown into sanitized HTML
 * (markdown-html.ts: raw HTML stays text, only http(s)/mailto links, images become links), and
 * what the pre-scan leaves unformatted is shown as text. A CSP in the document forbids script and
 * remote loads on top, so even an escaping mistake could not run anything. The active branch is open; other branches are
 * collapsible sections.
 */

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
/** Raster formats a browser shows from a data: URL and that cannot carry script. */
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function htmlWriter(options: RenderOptions): ExportWriter {
  return {
    begin: (info) =>
      `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="${CSP}">\n` +
      `<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>Arbor export</title>\n<style>${HTML_STYLE}</style>\n</head>\n<body>\n` +
      `<header><h1>Arbor export</h1><p>${plural(info.total, 'session')}, exported ${escapeHtml(formatTime(info.now) ?? '')}.</p></header>\n`,
    session: (s, index) => renderSession(s, index, options),
    end: () => '</body>\n</html>\n',
  };
}

function renderSession(s: TransferSession, index: number, options: RenderOptions): string {
  const out: string[] = [`<article class="session" id="session-${index + 1}">`, `<h2>${escapeHtml(s.title ?? s.id)}</h2>`, '<dl class="facts">'];
  for (const [label, value] of sessionFacts(s, options)) out.push(`<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`);
  out.push('</dl>');
  if (!s.hasTranscript) out.push('<p class="note">This store keeps session metadata only: there is no transcript.</p>');
  const layout = branchLayout(s, options.allBranches);
  if (layout.hiddenLeaves > 0) out.push(`<p class="note">Showing the active branch; ${plural(layout.hiddenLeaves, 'other branch', 'other branches')} ${layout.hiddenLeaves === 1 ? 'is' : 'are'} not shown.</p>`);
  for (const section of layout.sections) {
    const names = section.names.length ? ` — ${section.names.map((n) => `“${escapeHtml(n)}”`).join(', ')}` : '';
    const where = section.number === 1 ? ' (active)' : section.continuesAfter === null ? ', a separate root' : `, continues after message ${section.continuesAfter}`;
    const items = section.messages.map(({ message, number }) => {
      const time = formatTime(message.timestamp);
      const fork = layout.forks.get(message.id);
      const forkNote = fork
        ? `<p class="fork">↳ The conversation forks here into ${fork.alternatives} alternatives${fork.sections.length ? `: see branch ${fork.sections.join(', ')}` : ' (not shown)'}.</p>`
        : '';
      return (
        `<li class="message role-${escapeHtml(message.role)}" value="${number}"><div class="meta"><span class="n">${number}</span> ` +
        `<span class="role">${escapeHtml(roleLabel(message.role, message.kind))}</span>${time ? ` <time>${escapeHtml(time)}</time>` : ''} ` +
        `<code class="id">${escapeHtml(message.id)}</code></div>${renderBlocks(message.content)}${forkNote}</li>`
      );
    });
    const body = `<ol class="messages">${items.join('\n')}</ol>`;
    // A conversation without forks is not "a branch" to its reader.
    const single = layout.sections.length === 1 && !names;
    const title = `${single ? 'Conversation' : `Branch ${section.number}${where}${names}`} · ${plural(section.messages.length, 'message')}`;
    out.push(`<details class="branch"${section.number === 1 ? ' open' : ''}><summary>${title}</summary>\n${body}\n</details>`);
  }
  out.push('</article>\n');
  return out.join('\n');
}

function renderBlocks(blocks: readonly ContentBlock[]): string {
  if (blocks.length === 0) return '<p class="empty">(no content)</p>';
  return blocks.map(renderBlock).join('');
}

function renderBlock(b: ContentBlock): string {
  switch (b.type) {
    case 'text':
      return renderMarkdown(b.text);
    case 'thinking':
      return b.redacted
        ? '<p class="thinking">Thinking (redacted)</p>'
        : `<details class="thinking"><summary>Thinking</summary><div class="text">${escapeHtml(b.text)}</div></details>`;
    case 'tool_call':
      return `<div class="tool"><div class="label">Tool call <code>${escapeHtml(b.name)}</code>${b.id ? ` <code>${escapeHtml(b.id)}</code>` : ''}</div><pre>${escapeHtml(JSON.stringify(b.input, null, 2) ?? 'null')}</pre></div>`;
    case 'tool_result':
      return `<div class="tool${b.isError ? ' error' : ''}"><div class="label">Tool result${b.toolCallId ? ` <code>${escapeHtml(b.toolCallId)}</code>` : ''}${b.isError ? ' (error)' : ''}</div><pre>${escapeHtml(plainText(b.content) || JSON.stringify(b.content, null, 2))}</pre></div>`;
    case 'image':
      if (b.data !== null && b.mediaType !== null && IMAGE_TYPES.has(b.mediaType) && BASE64.test(b.data)) {
        return `<img class="image" alt="${escapeHtml(describeImage(b.mediaType, b.data, null))}" src="data:${b.mediaType};base64,${b.data}">`;
      }
      return `<p class="image">[${escapeHtml(describeImage(b.mediaType, b.data, b.url))}]</p>`;
    case 'attachment':
      return `<p class="image">[${escapeHtml(describeAttachment(b.name, b.mediaType, b.size))}]</p>`;
    case 'unknown':
      return `<div class="tool"><div class="label">Unrecognised block</div><pre>${escapeHtml(JSON.stringify(b.raw, null, 2) ?? String(b.raw))}</pre></div>`;
  }
}

/** Message text rendered from its Markdown; what the pre-scan or the parser leaves out follows as text. */
function renderMarkdown(text: string): string {
  const { html, end } = markdownToHtml(text);
  const rest = text.slice(end);
  return `${html !== null ? `<div class="markdown">${html}</div>` : ''}${rest.trim() ? renderText(rest) : ''}`;
}

/** Message text as text: fenced code as preformatted blocks, the rest with its line breaks kept. */
function renderText(text: string): string {
  const parts: string[] = [];
  let prose: string[] = [];
  let code: string[] | null = null;
  let fence = '';
  const flushProse = () => {
    if (prose.length && prose.some((l) => l.trim() !== '')) parts.push(`<div class="text">${escapeHtml(prose.join('\n').replace(/^\n+|\n+$/g, ''))}</div>`);
    prose = [];
  };
  for (const line of text.split(/\r\n|\n|\r/)) {
    if (code) {
      if (new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`).test(line)) {
        parts.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
        code = null;
      } else code.push(line);
      continue;
    }
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (open) {
      flushProse();
      fence = open[1];
      code = [];
      continue;
    }
    prose.push(line);
  }
  if (code) parts.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
  flushProse();
  return parts.join('');
}
