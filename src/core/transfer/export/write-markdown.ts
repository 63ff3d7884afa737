import { plainText } from '../../model/content';
import type { ContentBlock } from '../../model/types';
import type { TransferSession } from '../session';
import { branchLayout } from './branch-sections';
import { codeSpan, escapeInline, escapeMarkdownBody, fencedBlock } from './markdown-escape';
import { neutraliseImages } from './markdown-images';
import { describeAttachment, describeImage, formatTime, roleLabel, sessionFacts } from './render-common';
import type { ExportWriter } from './writer';

/**
 * A readable Markdown document: per session its facts, the active branch, and with `allBranches`
 * every other branch from its fork point, forks marked where they happen. All message text goes
 * through markdown-escape, so hostile content stays text in any renderer.
 */
export function markdownWriter(options: { allBranches: boolean }): ExportWriter {
  return {
    begin: (info) => `# Arbor export\n\n${info.total} session(s), exported ${formatTime(info.now)}.\n`,
    session: (s) => renderSession(s, options.allBranches),
    end: () => '',
  };
}

function renderSession(s: TransferSession, allBranches: boolean): string {
  const out: string[] = ['', '---', '', `## ${escapeInline(s.title ?? s.id)}`, ''];
  for (const [label, value] of sessionFacts(s)) out.push(`- **${escapeInline(label)}:** ${label === 'Session' ? codeSpan(value) : escapeInline(value)}`);
  if (!s.hasTranscript) out.push('', '_This store keeps session metadata only: there is no transcript._');
  const layout = branchLayout(s, allBranches);
  if (layout.hiddenLeaves > 0) {
    out.push('', `_Showing the active branch; ${layout.hiddenLeaves} other branch(es) are not shown (export with all branches to include them)._`);
  }
  for (const section of layout.sections) {
    const names = section.names.length ? ` — ${section.names.map((n) => `“${escapeInline(n)}”`).join(', ')}` : '';
    const where =
      section.number === 1 ? ' (active)' : section.continuesAfter === null ? ', a separate root' : `, continues after message ${section.continuesAfter}`;
    if (layout.sections.length > 1 || names) out.push('', `### Branch ${section.number}${where}${names}`);
    for (const { message, number } of section.messages) {
      const time = formatTime(message.timestamp);
      out.push('', `#### ${number} · ${escapeInline(roleLabel(message.role, message.kind))}${time ? ` · ${escapeInline(time)}` : ''} · ${codeSpan(message.id)}`, '');
      out.push(renderBlocks(message.content) || '_(no content)_');
      const fork = layout.forks.get(message.id);
      if (fork) {
        const elsewhere = fork.sections.length ? `: see branch ${fork.sections.join(', ')}` : ' (not shown)';
        out.push('', `> ↳ The conversation forks here into ${fork.alternatives} alternatives${elsewhere}.`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}

function renderBlocks(blocks: readonly ContentBlock[]): string {
  return blocks.map(renderBlock).join('\n\n');
}

function renderBlock(b: ContentBlock): string {
  switch (b.type) {
    case 'text':
      return neutraliseImages(escapeMarkdownBody(b.text));
    case 'thinking':
      return b.redacted ? '> _Thinking (redacted)_' : quote(`_Thinking:_ ${escapeInline(b.text)}`);
    case 'tool_call':
      return `**Tool call** ${codeSpan(b.name)}${b.id ? ` (${codeSpan(b.id)})` : ''}\n\n${fencedBlock(JSON.stringify(b.input, null, 2) ?? 'null', 'json')}`;
    case 'tool_result': {
      const text = plainText(b.content) || JSON.stringify(b.content, null, 2);
      return `**Tool result**${b.toolCallId ? ` for ${codeSpan(b.toolCallId)}` : ''}${b.isError ? ' (error)' : ''}\n\n${fencedBlock(text)}`;
    }
    case 'image':
      return `_[${escapeInline(describeImage(b.mediaType, b.data, b.url))}]_`;
    case 'attachment':
      return `_[${escapeInline(describeAttachment(b.name, b.mediaType, b.size))}]_`;
    case 'unknown':
      return `**Unrecognised block**\n\n${fencedBlock(JSON.stringify(b.raw, null, 2) ?? String(b.raw), 'json')}`;
  }
}

/** A block quote of already escaped, single-line-safe text. */
function quote(text: string): string {
  return `> ${text}`;
}
