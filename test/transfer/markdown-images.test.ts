import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { escapeMarkdownBody } from '../../src/core/transfer/export/markdown-escape';
import { neutraliseImages } from '../../src/core/transfer/export/markdown-images';
import { JsonlTreeStore, msg } from '../fixtures/jsonl-tree';
import { exportStore } from './helpers';

/**
 * The Markdown export writes no image a viewer would load: each becomes a link marked as an image.
 * Checked by rendering the export the way a GFM viewer that shows images would.
 */
const render = (markdown: string) => micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
const exported = (text: string) => neutraliseImages(escapeMarkdownBody(text));

const IMAGES = [
  '![chart](https://tracker.example/pixel.png)',
  '![chart](https://tracker.example/pixel.png "https://docs.example.org/looks-safe")',
  'inline ![a](http://tracker.example/a.png) and ![b](<http://tracker.example/b c.png>) in text',
  '![ref image][logo]\n\n[logo]: https://tracker.example/logo.png',
  '![logo]\n\n[logo]: https://tracker.example/logo.png "title"',
  '![collapsed][]\n\n[collapsed]: https://tracker.example/c.png',
  '[![badge](https://tracker.example/badge.svg)](https://ci.example/build)',
  '| a | b |\n|---|---|\n| ![cell](https://tracker.example/cell.png) | x |',
  '- item ![li](//tracker.example/protocol-relative.png)',
  '> quoted ![q](https://tracker.example/q.png)',
  '![](https://tracker.example/no-alt.png)',
  '![nested ![inner](https://tracker.example/i.png)](https://tracker.example/o.png)',
  '![alt with \\] bracket](https://tracker.example/x.png)',
];

describe('remote images in the Markdown export', () => {
  it('none survives as an image: each is a link marked "image", to its real address', () => {
    for (const text of IMAGES) {
      const out = exported(text);
      const html = render(out);
      expect(html, text).not.toMatch(/<img/i);
      expect(html, text).toMatch(/<a href="(https?:)?\/\/tracker\.example\/[^"]*">image(: [^<]*)?<\/a>/);
    }
  });

  it('keeps the alt text, points the link at the image address, and drops the title', () => {
    const out = exported('![chart](https://tracker.example/pixel.png "https://docs.example.org/looks-safe")');
    expect(out).toBe('[image: chart](<https://tracker.example/pixel.png>)');
    expect(render(out)).toContain('<a href="https://tracker.example/pixel.png">image: chart</a>');
    expect(exported('![logo]\n\n[logo]: https://tracker.example/logo.png')).toBe('[image: logo](<https://tracker.example/logo.png>)\n\n[logo]: https://tracker.example/logo.png');
  });

  it('leaves text without images byte for byte, and image syntax inside code as code', () => {
    const plain = 'Some **bold** text, a [link](https://example.org) and `code`.';
    expect(exported(plain)).toBe(escapeMarkdownBody(plain));
    const code = 'Use `![x](https://a.example/x.png)` to embed.\n\n```md\n![x](https://a.example/y.png)\n```';
    expect(exported(code)).toBe(escapeMarkdownBody(code));
  });

  it('writes no image into a whole export of a session full of them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arbor-md-images-'));
    try {
      const store = new JsonlTreeStore(join(dir, 'tree'));
      store.session('images', IMAGES.map((text, i) => msg(`m${i}`, i === 0 ? null : `m${i - 1}`, i % 2 ? 'assistant' : 'user', text)));
      const file = join(dir, 'images.md');
      await exportStore(store.root, file, { format: 'md', allBranches: true });
      const markdown = readFileSync(file, 'utf8');
      expect(render(markdown)).not.toMatch(/<img/i);
      expect(markdown).toContain('[image: chart](<https://tracker.example/pixel.png>)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
