import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { micromark } from 'micromark';
import { gfm } from 'micromark-extension-gfm';
import { gfmAutolinkLiteralHtml } from 'micromark-extension-gfm-autolink-literal';
import { gfmFootnoteHtml } from 'micromark-extension-gfm-footnote';
import { gfmStrikethroughHtml } from 'micromark-extension-gfm-strikethrough';
import { gfmTableHtml } from 'micromark-extension-gfm-table';
import { gfmTaskListItemHtml } from 'micromark-extension-gfm-task-list-item';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoStores } from '../../scripts/demo/build-demo-stores';
import { HOSTILE_TEXT } from '../../scripts/demo/conversations';
import { escapeMarkdownBody } from '../../src/core/transfer/export/markdown-escape';
import { WRITABLE_LAYOUT_NAMES } from '../../src/core/catalog';
import { JsonlTreeStore, msg } from '../fixtures/jsonl-tree';
import { exportStore } from './helpers';

/**
 * Message content is untrusted: in the HTML and Markdown exports it must stay text. The Markdown is
 * rendered here the least safe way a viewer could (raw HTML and every link scheme allowed), so what
 * the escaping leaves live would show; the HTML is checked as written.
 */

const CASES = [
  HOSTILE_TEXT,
  '<script>alert(1)</script>',
  'text <img src=x onerror=alert(1)> more',
  '[a](javascript:alert(1))',
  '[a]( javascript:alert(1) )',
  '[a](JaVaScRiPt:alert(1))',
  '[a](jav&#x61;script:alert(1))',
  '[a](javascript&colon;alert(1))',
  '[a](\njavascript:alert(1))',
  '[a](<javascript:alert(1)>)',
  '[a](java\tscript:alert(1))',
  '![x](javascript:alert(1))',
  '[x][r]\n\n[r]: javascript:alert(1)',
  '[r]:\njavascript:alert(1)\n\n[r]',
  '<javascript:alert(1)>',
  '<a href="javascript:alert(1)">x</a>',
  '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[x](vbscript:msgbox(1))',
  '`a\n\n<script>alert(1)</script>\n\n`',
  '`x\ny` <b onmouseover=alert(1)>b</b> `z`',
  '- item\n  ```\n<script>alert(1)</script>\n  ```',
  '```js`\n<script>alert(1)</script>\n```',
  '    <script>alert(1)</script>',
  '\\`<script>alert(1)</script>`',
  '\\\\`<script>alert(1)</script>`',
  '<!-- c --><script>alert(1)</script>',
  '> quote\n<script>alert(1)</script>',
  '<div>\n<script>alert(1)</script>\n</div>',
  '```\n<script>in a fence is code</script>\n```\n<script>alert(1)</script>',
  '~~~\n<script>an unclosed fence</script>',
  '<scr<script>ipt>alert(1)</script>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | [x](javascript:alert(1)) |',
  '* <svg onload=alert(1)>',
  '# <iframe src="javascript:alert(1)">',
];

/**
 * What a viewer that allows everything would make of the Markdown: raw HTML and every link scheme
 * pass, and GFM's tag filter (which would defuse <script> on its own) is left out on purpose.
 */
function renderUnsafely(markdown: string): string {
  return micromark(markdown, {
    allowDangerousHtml: true,
    allowDangerousProtocol: true,
    extensions: [gfm()],
    htmlExtensions: [gfmAutolinkLiteralHtml(), gfmFootnoteHtml(), gfmStrikethroughHtml(), gfmTableHtml(), gfmTaskListItemHtml()],
  });
}

/** Live markup in rendered HTML: a script, an event handler, a script-capable URL. */
function liveMarkup(html: string): string[] {
  const found: string[] = [];
  if (/<script/i.test(html)) found.push('<script');
  if (/<(iframe|svg|object|embed)/i.test(html)) found.push('embedded document');
  for (const m of html.matchAll(/<[a-z][^>]*>/gi)) {
    if (/\son[a-z]+\s*=/i.test(m[0])) found.push(`event handler in ${m[0]}`);
    // A raster image as a data: URL cannot run anything (the HTML export embeds images that way).
    const url = /(href|src)\s*=\s*["']?\s*([a-z]+:[^"'\s>]*)/i.exec(m[0])?.[2] ?? '';
    if (/^(javascript|vbscript):/i.test(url) || (/^data:/i.test(url) && !/^data:image\/(png|jpeg|gif|webp);base64,/.test(url))) found.push(`script URL in ${m[0]}`);
  }
  return found;
}

let shared: string;
beforeAll(() => {
  shared = mkdtempSync(join(tmpdir(), 'arbor-hostile-'));
});
afterAll(() => rmSync(shared, { recursive: true, force: true }));

describe('Markdown escaping', () => {
  it('is checked by a detector that does see live markup when nothing is escaped', () => {
    expect(liveMarkup(renderUnsafely(HOSTILE_TEXT))).toEqual(expect.arrayContaining(['<script', expect.stringContaining('event handler'), expect.stringContaining('script URL')]));
  });

  for (const text of CASES) {
    it(`keeps ${JSON.stringify(text).slice(0, 60)} as text`, () => {
      expect(liveMarkup(renderUnsafely(escapeMarkdownBody(text)))).toEqual([]);
    });
  }

  it('survives random mixes of hostile fragments and Markdown syntax', () => {
    const pieces = [...CASES, '`', '``', '```', '~~~', '\n', '\n\n', '[', ']', '(', ')', '<', '>', '\\', '&', '#', ':', 'javascript:', ' ', '    ', '- ', '> ', '![', 'onerror=alert(1)', '<b ', '"'];
    let seed = 1234567;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      let text = '';
      const n = 2 + Math.floor(random() * 8);
      for (let k = 0; k < n; k++) text += pieces[Math.floor(random() * pieces.length)];
      const live = liveMarkup(renderUnsafely(escapeMarkdownBody(text)));
      if (live.length) throw new Error(`live markup ${JSON.stringify(live)} from ${JSON.stringify(text)}`);
    }
  });

  it('leaves ordinary Markdown working: emphasis, code, fences and web links', () => {
    const html = renderUnsafely(escapeMarkdownBody('**bold** and `a <b> c`\n\n```html\n<div>x</div>\n```\n\nSee [docs](https://example.com/a_b).'));
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<code>a &lt;b&gt; c</code>');
    expect(html).toContain('&lt;div&gt;x&lt;/div&gt;');
    expect(html).toContain('<a href="https://example.com/a_b">docs</a>');
  });
});

describe('exports of hostile sessions', () => {
  let tree: string;
  beforeAll(() => {
    const store = new JsonlTreeStore(join(shared, 'tree'));
    const messages = CASES.map((text, i) => msg(`m${i}`, i === 0 ? null : `m${i - 1}`, i % 2 ? 'assistant' : 'user', text));
    // A fork, so the other branch is rendered too; a hostile branch name and tool call.
    messages.push(msg('alt', 'm0', 'assistant', [{ type: 'text', text: '<script>alert("alt")</script>' }, { type: 'tool_use', id: '<x>', name: '<img src=x onerror=alert(1)>', input: { html: '<script>alert(1)</script>' } }]));
    store.session('<script>alert("id")</script>', messages, { metadata: { note: '<img src=x onerror=alert(1)>' } });
    store.branches('<script>alert("id")</script>', [{ name: '<script>alert("branch")</script>', leafMessageId: 'alt', createdAt: 1, path: [] }]);
    tree = store.root;
  });

  it('HTML: no script, no event handler, no javascript: link, and the text is still there', async () => {
    const file = join(shared, 'hostile.html');
    await exportStore(tree, file, { format: 'html', allBranches: true });
    const html = readFileSync(file, 'utf8');
    expect(liveMarkup(html)).toEqual([]);
    // Links are only http(s), mailto or a footnote inside the document.
    for (const m of html.matchAll(/<[a-z][^>]*\shref="([^"]*)"/gi)) expect(m[1]).toMatch(/^(https?:|mailto:|#user-content-)/);
    expect(html).toContain('&lt;script&gt;window.__arborPwned = true&lt;/script&gt;');
    expect(html).toContain('<details class="branch">');
    expect(html).toContain("Content-Security-Policy\" content=\"default-src 'none'");
  });

  it('Markdown: rendered with raw HTML allowed, nothing is live', async () => {
    const file = join(shared, 'hostile.md');
    await exportStore(tree, file, { format: 'md', allBranches: true });
    expect(liveMarkup(renderUnsafely(readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('every demo store exports to HTML and Markdown without live markup', async () => {
    const stores = buildDemoStores(join(shared, 'demo'), { hostile: true });
    for (const format of WRITABLE_LAYOUT_NAMES) {
      for (const kind of ['html', 'md'] as const) {
        const file = join(shared, `${format}.${kind}`);
        await exportStore(stores[format], file, { format: kind, allBranches: true });
        const text = readFileSync(file, 'utf8');
        expect(liveMarkup(kind === 'html' ? text : renderUnsafely(text)), `${format} ${kind}`).toEqual([]);
      }
    }
  });
});
