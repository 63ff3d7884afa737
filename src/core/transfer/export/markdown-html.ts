import type { Element, ElementContent, Root, RootContent } from 'hast';
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
// The renderer's linear pre-scan (pure, DOM-free): the same bounds keep the parser's super-linear shapes out here too.
import { planMarkdown } from '../../../shared/markdown-scan';
import { escapeHtml } from './html-escape';

/**
 * Message markdown into HTML for the HTML export, through the stack the app's renderer uses
 * (remark-parse, GFM, remark-rehype, rehype-sanitize), with no DOM. Raw HTML in the text becomes
 * text; the sanitized tree keeps only http(s)/mailto links, whose tooltip is their real destination;
 * images become links (the document loads nothing remote). The renderer's pre-scan decides how much
 * is parsed (nesting, delimiter storms, length); the rest, and any text whose tree fails or grows too
 * big, the caller shows as plain text.
 */

const MAX_ELEMENTS = 20_000;

export interface MarkdownHtml {
  /** HTML of `text.slice(0, end)`, or null when none of it could be formatted. */
  html: string | null;
  end: number;
}

const schema = {
  ...defaultSchema,
  protocols: { ...defaultSchema.protocols, href: ['http', 'https', 'mailto'], src: ['http', 'https'] },
};

interface Node {
  type: string;
  children?: Node[];
}

/** Raw HTML nodes become text nodes, escaped when written: shown literally, never parsed. */
function rehypeRawAsText() {
  return (tree: Node) => {
    const stack: Node[] = [tree];
    while (stack.length) {
      const node = stack.pop()!;
      if (node.type === 'raw') node.type = 'text';
      if (node.children) for (const child of node.children) stack.push(child);
    }
  };
}

const processor = unified().use(remarkParse).use(remarkGfm).use(remarkRehype, { allowDangerousHtml: true, clobberPrefix: '' }).use(rehypeRawAsText).use(rehypeSanitize, schema);

/**
 * Text markdown would leave as it is (no syntax character, no line a list or code block could
 * start, no autolink): its paragraphs, escaped, without the parser. Most chat turns are like this,
 * and the parser costs ~0.3 ms a message — a 20,000-message session took 6 s through it.
 */
const PLAIN_CHARS = /^[\p{L}\p{N}\p{Zs}\n,;'"?%$@/().-]*$/u;
const BLOCK_START = /^(?: {0,3}(?:[-+]|\d+[.)])(?:\s|$)| {4})/m;

function plainParagraphs(text: string): string | null {
  if (!PLAIN_CHARS.test(text) || BLOCK_START.test(text) || /www\./i.test(text)) return null;
  const paragraphs = text.split(/\n[\p{Zs}]*\n/u).map((p) => p.trim()).filter((p) => p !== '');
  return paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
}

export function markdownToHtml(text: string): MarkdownHtml {
  const plain = plainParagraphs(text);
  if (plain !== null) return { html: plain, end: text.length };
  const { formatEnd } = planMarkdown(text);
  if (formatEnd === 0) return { html: null, end: 0 };
  try {
    const tree = processor.runSync(processor.parse(text.slice(0, formatEnd))) as Root;
    if (!prepare(tree)) return { html: null, end: 0 };
    return { html: writeNodes(tree.children), end: formatEnd };
  } catch {
    // A parser failure on hostile input must not lose the message: it shows as text.
    return { html: null, end: 0 };
  }
}

const SAFE_URL = /^(https?:|mailto:)/i;
/** Footnote references and back-references point inside the document. */
const FRAGMENT = /^#[\w-]*$/;

/** Links get their destination as tooltip (a markdown title could name another host); images turn into links. Iterative. */
function prepare(tree: Root): boolean {
  const stack: Array<Root | RootContent> = [tree];
  let elements = 0;
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'element') {
      if (++elements > MAX_ELEMENTS) return false;
      if (node.tagName === 'img') imageToLink(node);
      if (node.tagName === 'a') {
        const href = String(node.properties.href ?? '');
        if (SAFE_URL.test(href)) node.properties = { ...node.properties, href, title: href, rel: ['noopener', 'noreferrer'] };
        // The sanitizer prefixes ids (so message text cannot clobber the page's); fragments follow them.
        else if (FRAGMENT.test(href)) node.properties.href = href.startsWith('#user-content-') ? href : `#user-content-${href.slice(1)}`;
        else delete node.properties.href;
      }
    }
    if ('children' in node) for (const child of node.children) stack.push(child);
  }
  return true;
}

function imageToLink(node: Element): void {
  const src = String(node.properties.src ?? '');
  const alt = String(node.properties.alt ?? '');
  const label: ElementContent = { type: 'text', value: `[image${alt ? `: ${alt}` : ''}]` };
  node.tagName = SAFE_URL.test(src) ? 'a' : 'span';
  node.properties = SAFE_URL.test(src) ? { href: src, title: src, className: ['image-link'] } : { className: ['image-link'] };
  node.children = [label];
}

const VOID = new Set(['br', 'hr', 'img', 'input']);

function writeNodes(nodes: readonly RootContent[]): string {
  // Iterative, so a deep tree cannot exhaust the stack here either.
  let out = '';
  const stack: Array<RootContent | { close: string }> = [...nodes].reverse();
  while (stack.length) {
    const node = stack.pop()!;
    if ('close' in node) {
      out += node.close;
    } else if (node.type === 'text') {
      out += escapeHtml(node.value);
    } else if (node.type === 'element') {
      out += `<${node.tagName}${attributes(node)}>`;
      if (VOID.has(node.tagName)) continue;
      stack.push({ close: `</${node.tagName}>` });
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
    }
    // Comments and doctypes are dropped; raw nodes were turned into text above.
  }
  return out;
}

function attributes(node: Element): string {
  let out = '';
  for (const [key, value] of Object.entries(node.properties)) {
    if (value === null || value === undefined || value === false) continue;
    const name = attributeName(key);
    if (value === true) out += ` ${name}`;
    else out += ` ${name}="${escapeHtml(Array.isArray(value) ? value.join(' ') : String(value))}"`;
  }
  return out;
}

/** hast's property names back to HTML attribute names: className, htmlFor, ariaDescribedBy, dataFootnoteRef. */
function attributeName(key: string): string {
  if (key === 'className') return 'class';
  if (key === 'htmlFor') return 'for';
  if (/^aria[A-Z]/.test(key)) return `aria-${key.slice(4).toLowerCase()}`;
  if (/^data[A-Z]/.test(key)) return `data${key.slice(4).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  return key.toLowerCase();
}
