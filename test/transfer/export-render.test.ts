import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plural } from '../../src/core/model/plural';
import { markdownToHtml } from '../../src/core/transfer/export/markdown-html';
import { tempDir } from '../fixtures/tmp';
import { JsonlTreeStore, msg } from '../fixtures/jsonl-tree';
import { exportStore } from './helpers';

/** The readable exports render a message's Markdown, sanitized, and keep local paths out unless asked. */

const TEXT = [
  'Use **merge** when history matters; see [the docs](https://git-scm.com/docs "https://evil.example/login").',
  '',
  '| command | rewrites history |',
  '| --- | :-: |',
  '| `git merge` | no |',
  '| `git rebase` | yes |',
  '',
  '<script>window.__pwned = 1</script> <img src=x onerror=alert(1)>',
  '',
  '![diagram](https://images.example.com/tree.png) [bad](javascript:alert(1))',
].join('\n');

function store(dir: string): string {
  const tree = new JsonlTreeStore(join(dir, 'store'));
  tree.session('lego', [msg('u1', null, 'user', 'How do I keep history linear?'), msg('a1', 'u1', 'assistant', TEXT)], { title: 'Fix the LEGO build' });
  return tree.root;
}

describe('HTML export', () => {
  it('renders message markdown as sanitized HTML: strong, table, safe links; no script, no remote load, no local path', async () => {
    const dir = tempDir('arbor-render-');
    const path = store(dir);
    const file = join(dir, 'out.html');
    await exportStore(path, file, { format: 'html' });
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('<strong>merge</strong>');
    expect(html).toMatch(/<table>\s*<thead>\s*<tr>\s*<th>command<\/th>\s*<th align="center">rewrites history<\/th>/);
    expect(html).toContain('<td><code>git rebase</code></td>');
    // The tooltip is the link's real destination, never the title the text gave it.
    expect(html).toContain('<a href="https://git-scm.com/docs" title="https://git-scm.com/docs" rel="noopener noreferrer">the docs</a>');
    expect(html).not.toContain('evil.example');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+=/i);
    expect(html).not.toMatch(/javascript:/i);
    expect(html).toContain('&lt;script&gt;window.__pwned = 1&lt;/script&gt;');
    // An image is a link to it, never loaded: no <img> with a remote src.
    expect(html).not.toMatch(/<img[^>]+src="https?:/);
    expect(html).toContain('<a href="https://images.example.com/tree.png"');
    expect(html).toContain('[image: diagram]');
    expect(html).not.toContain(path);
    expect(html).toMatch(/<dt>Source<\/dt><dd>jsonl-tree<\/dd>/);
    expect(html).toContain('1 session, exported');
    expect(html).toContain('Conversation · 2 messages');
  });

  it('names the local path only with includePaths', async () => {
    const dir = tempDir('arbor-render-');
    const path = store(dir);
    const file = join(dir, 'out.html');
    await exportStore(path, file, { format: 'html', includePaths: true });
    expect(readFileSync(file, 'utf8')).toContain(`jsonl-tree — ${path}`);
  });

  it('formats what the pre-scan allows and shows the rest as text (a 100,000-deep quote does not hang it)', () => {
    const started = Date.now();
    expect(markdownToHtml('>'.repeat(100_000))).toEqual({ html: null, end: 0 });
    const long = markdownToHtml(`**a**\n\n${'- '.repeat(29_000)}x`);
    expect(long.html).toBe('<p><strong>a</strong></p>');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('Markdown export', () => {
  it('keeps the message as markdown (emphasis, table), not escaped into a code block, and no local path', async () => {
    const dir = tempDir('arbor-render-');
    const path = store(dir);
    const file = join(dir, 'out.md');
    await exportStore(path, file, { format: 'md' });
    const md = readFileSync(file, 'utf8');
    expect(md).toContain('Use **merge** when history matters');
    expect(md).toContain('| `git rebase` | yes |');
    expect(md).not.toMatch(/```\s*\nUse \*\*merge/);
    expect(md).not.toContain(path);
    expect(md).toContain('- **Source:** jsonl-tree\n');
    writeFileSync(join(dir, 'seen.md'), md);
  });
});

describe('plural', () => {
  it('says 1 leaf, 2 leaves, 0 sessions, 12,345 messages', () => {
    expect(plural(1, 'leaf', 'leaves')).toBe('1 leaf');
    expect(plural(2, 'leaf', 'leaves')).toBe('2 leaves');
    expect(plural(0, 'session')).toBe('0 sessions');
    expect(plural(12_345, 'message')).toBe('12,345 messages');
  });
});
