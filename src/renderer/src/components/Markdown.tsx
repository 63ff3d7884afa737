import { memo, useState, type ComponentProps } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize';
import remarkGfm from 'remark-gfm';
import { formatNumber } from '../lib/format';

/**
 * Message text is untrusted markdown. It is parsed to a syntax tree and rendered as React elements,
 * never as HTML: raw HTML in the text is turned into visible text (so `<script>` reads as what it
 * is and runs nothing), the tree is sanitized, and only http(s)/mailto links survive, opening
 * outside the app window. rehype-raw is deliberately absent.
 */

const SAFE_LINK = /^(https?:|mailto:)/i;

export function safeHref(href: string | null | undefined): string | null {
  if (!href) return null;
  const trimmed = href.trim();
  if (!SAFE_LINK.test(trimmed)) return null;
  try {
    const url = new URL(trimmed);
    return url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'mailto:' ? url.href : null;
  } catch {
    return null;
  }
}

const schema = {
  ...defaultSchema,
  protocols: { ...defaultSchema.protocols, href: ['http', 'https', 'mailto'], src: ['http', 'https'] },
};

interface HastLike {
  type: string;
  value?: string;
  children?: HastLike[];
}

/** Raw HTML nodes become text nodes: shown literally, escaped by React, never parsed. */
function rehypeRawAsText() {
  const walk = (node: HastLike) => {
    if (node.type === 'raw') node.type = 'text';
    node.children?.forEach(walk);
  };
  return (tree: HastLike) => walk(tree);
}

// rehype-highlight registers its ~40 grammars each time the plugin is attached, and react-markdown
// attaches plugins on every render: build the transformer once and hand out that one.
const highlightTransform = rehypeHighlight({ detect: false });
const rehypeHighlightOnce = () => highlightTransform;

// Sanitize first, then highlight: highlighting adds classes the sanitizer would strip.
const rehypePlugins: NonNullable<ComponentProps<typeof ReactMarkdown>['rehypePlugins']> = [
  rehypeRawAsText,
  [rehypeSanitize, schema],
  rehypeHighlightOnce,
];
const remarkPlugins = [remarkGfm];

const components: Components = {
  a({ href, children, title }) {
    const safe = safeHref(href);
    if (!safe) return <span className="neutralised-link" title="Link removed: only http, https and mailto links are kept">{children}</span>;
    return (
      <a href={safe} title={title ?? safe} target="_blank" rel="noreferrer noopener">
        {children}
      </a>
    );
  },
  // Remote images are never fetched (the CSP forbids it, and it would leak that the message was read).
  img({ src, alt }) {
    const safe = typeof src === 'string' ? safeHref(src) : null;
    return (
      <span className="image-ref" title={safe ?? undefined}>
        [image{alt ? `: ${alt}` : ''}{safe ? ` — ${safe}` : ''}]
      </span>
    );
  },
};

/** Strips what the URL transform does not allow; the components above check links again. */
function urlTransform(url: string): string {
  return safeHref(url) ?? '';
}

/** Beyond this a message is a pasted log or a dump: markdown parsing would stall the window. */
const LONG_TEXT = 60_000;
const LONG_PREVIEW = 20_000;

export const Markdown = memo(function Markdown({ text }: { text: string }) {
  const [showAll, setShowAll] = useState(false);
  if (text.length > LONG_TEXT) {
    return (
      <div className="long-text">
        <pre className="plain-text">{showAll ? text : `${text.slice(0, LONG_PREVIEW)}…`}</pre>
        {showAll ? null : (
          <button type="button" className="link-button" onClick={() => setShowAll(true)}>
            Show all {formatNumber(text.length)} characters (as plain text)
          </button>
        )}
      </div>
    );
  }
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={components} urlTransform={urlTransform}>
        {text}
      </ReactMarkdown>
    </div>
  );
});
