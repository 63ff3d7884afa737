import type { Element, Root, RootContent } from 'hast';
import { urlAttributes } from 'html-url-attributes';
import rehypeHighlight from 'rehype-highlight';
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { safeHref } from './safe-url';
import type { MarkdownLimit } from '../../../../shared/markdown-scan';

/**
 * Untrusted markdown to a sanitized HTML syntax tree (hast), never to HTML: raw HTML in the text
 * becomes visible text (so `<script>` reads as what it is and runs nothing), the tree is sanitized,
 * and only http(s)/mailto URLs survive. Pure and DOM-free, so the same code runs in the formatting
 * worker and, where no worker can start, on the UI thread; the renderer turns the tree into React
 * elements. rehype-raw is deliberately absent.
 */

export type Formatted =
  | { kind: 'tree'; tree: Root }
  | { kind: 'plain'; limit: MarkdownLimit | { kind: 'elements' | 'time' | 'error'; count: number } };

/** Beyond these the tree would take the UI thread too long to draw (React, layout), or nest too deep for it. */
export const TREE_LIMITS = { elements: 15_000, depth: 200 };

const schema = {
  ...defaultSchema,
  protocols: { ...defaultSchema.protocols, href: ['http', 'https', 'mailto'], src: ['http', 'https'] },
};

interface Node {
  type: string;
  children?: Node[];
}

/** Raw HTML nodes become text nodes: shown literally, escaped by React, never parsed. Iterative: trees may be deep. */
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

// Sanitize first, then highlight: highlighting adds classes the sanitizer would strip. Raw HTML is
// kept by remark-rehype only to be turned into text; the processor is built once (highlight's
// grammars register when the plugin is attached).
const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkRehype, { allowDangerousHtml: true })
  .use(rehypeRawAsText)
  .use(rehypeSanitize, schema)
  .use(rehypeHighlight, { detect: false });

/** Every URL property of an element goes through safeHref (empty when refused), as react-markdown's urlTransform did. */
function transformUrls(element: Element): void {
  for (const [property, tags] of Object.entries(urlAttributes)) {
    if (!Object.hasOwn(element.properties, property)) continue;
    if (tags !== null && !tags.includes(element.tagName)) continue;
    element.properties[property] = safeHref(String(element.properties[property] ?? '')) ?? '';
  }
}

/**
 * Makes the tree ready to cross to the UI thread and be drawn: URLs checked, positions dropped
 * (they would only weigh on the message), elements counted and depth measured without recursion.
 */
function finish(tree: Root): Formatted {
  const stack: Array<{ node: Root | RootContent; depth: number }> = [{ node: tree, depth: 0 }];
  let elements = 0;
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    delete node.position;
    if (node.type === 'element') {
      elements++;
      transformUrls(node);
      if (elements > TREE_LIMITS.elements) return { kind: 'plain', limit: { kind: 'elements', count: elements } };
      if (depth > TREE_LIMITS.depth) return { kind: 'plain', limit: { kind: 'depth', count: depth } };
    }
    if ('children' in node) for (const child of node.children) stack.push({ node: child, depth: depth + 1 });
  }
  return { kind: 'tree', tree };
}

/** Formats text the pre-scan has cleared (see planMarkdown); the tree's limits are checked here. */
export function formatMarkdown(text: string): Formatted {
  try {
    const tree = processor.runSync(processor.parse(text)) as Root;
    return finish(tree);
  } catch {
    // A parser bug on hostile input must not blank the message: it shows as text.
    return { kind: 'plain', limit: { kind: 'error', count: 0 } };
  }
}
