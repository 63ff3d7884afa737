import type { Image, ImageReference, Nodes, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { escapeInline } from './markdown-escape';

/**
 * Images in an exported Markdown document become marked links: `![x](https://host/p.png)` is written
 * `[image: x](<https://host/p.png>)`. Arbor itself never loads an image from message content (its
 * CSP forbids it, and a fetch would tell the image's host that the message was read), and a
 * document it writes must not make every viewer that shows images do so. The image's title is
 * dropped: a title can claim anything.
 *
 * Images are found by the GFM parser the renderer also uses (inline images, and reference images
 * through their definitions), on text markdown-escape has already made inert; only their exact
 * source ranges are rewritten, so the rest of the text is left byte for byte.
 */
export function neutraliseImages(markdown: string): string {
  // Nearly every message has no image: do not parse those.
  if (!markdown.includes('![')) return markdown;
  const tree = fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const definitions = new Map<string, string>();
  const images: Array<{ start: number; end: number; alt: string; url: string | null }> = [];
  // Iterative walk (texts may nest deeply); an image inside another image's text goes with it.
  const stack: Nodes[] = [tree as Root];
  const found: Array<Image | ImageReference> = [];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'definition' && !definitions.has(node.identifier)) definitions.set(node.identifier, node.url);
    if (node.type === 'image' || node.type === 'imageReference') {
      found.push(node);
      continue;
    }
    if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as Nodes);
  }
  for (const node of found) {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start === undefined || end === undefined) continue;
    const url = node.type === 'image' ? node.url : (definitions.get(node.identifier) ?? null);
    images.push({ start, end, alt: node.alt ?? '', url });
  }
  if (!images.length) return markdown;
  images.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const image of images) {
    if (image.start < at) continue;
    out += markdown.slice(at, image.start) + imageAsLink(image.alt, image.url);
    at = image.end;
  }
  return out + markdown.slice(at);
}

const LINKABLE = /^(?:https?:|mailto:|[^:/?#]*(?:[/?#]|$))/i;

/** `[image: alt](<url>)`; an address that is not a web, mail or relative one stays text. */
function imageAsLink(alt: string, url: string | null): string {
  const label = `image${alt.trim() ? `: ${escapeInline(alt.trim())}` : ''}`;
  if (!url || !LINKABLE.test(url)) return `_[${label}]_`;
  // Inside <…> a destination may hold spaces but not <, >, a backslash or a line break.
  const destination = url.replace(/[<>\\\r\n]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `[${label}](<${destination}>)`;
}
