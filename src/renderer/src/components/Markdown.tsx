import type { Root } from 'hast';
import { toJsxRuntime, type Components } from 'hast-util-to-jsx-runtime';
import { memo, useMemo, type ReactNode } from 'react';
import { Fragment, jsx, jsxs } from 'react/jsx-runtime';
import { describeLimit } from '../lib/markdown/describe';
import { safeHref } from '../lib/markdown/safe-url';
import { planMarkdown } from '../../../shared/markdown-scan';
import { useFormatted } from '../lib/markdown/use-formatted';
import type { ValueSource } from '../lib/value-pages';
import { ExternalLink } from './ExternalLink';
import { PagedText } from './PagedText';

/**
 * Message text is untrusted markdown. A linear pre-scan (lib/markdown/scan) decides how much of it
 * the parser may see; that part is parsed to a sanitized syntax tree (lib/markdown/pipeline: raw
 * HTML as visible text, only http(s)/mailto links) — on the UI thread when it is small, in a worker
 * with a time budget otherwise — and drawn as React elements, never as HTML. What the scan or the
 * budget refused is shown as plain text, a page at a time, with a note saying why.
 */

const components: Partial<Components> = {
  // The markdown title is not used: the tooltip names the real host (ExternalLink).
  a({ href, children }: { href?: string; children?: ReactNode }) {
    const safe = safeHref(href);
    if (!safe) return <span className="neutralised-link" title="Link removed: only http, https and mailto links are kept">{children}</span>;
    return <ExternalLink href={safe}>{children}</ExternalLink>;
  },
  // Remote images are never fetched (the CSP forbids it, and it would leak that the message was read).
  img({ src, alt }: { src?: string; alt?: string }) {
    const safe = typeof src === 'string' ? safeHref(src) : null;
    return (
      <span className="image-ref" title={safe ?? undefined}>
        [image{alt ? `: ${alt}` : ''}{safe ? ` — ${safe}` : ''}]
      </span>
    );
  },
};

function Tree({ tree }: { tree: Root }) {
  const element = useMemo(() => toJsxRuntime(tree, { Fragment, jsx, jsxs, components, ignoreInvalidStyle: true, passKeys: true }), [tree]);
  return <div className="markdown">{element}</div>;
}

/** `fullLength` and `source`: the text is the first part of a longer one the API cut; the rest is fetched as it is shown. */
export const Markdown = memo(function Markdown({ text, fullLength, source }: { text: string; fullLength?: number; source?: ValueSource }) {
  const plan = useMemo(() => planMarkdown(text), [text]);
  const formattable = plan.formatEnd === text.length ? text : text.slice(0, plan.formatEnd);
  const formatted = useFormatted(formattable.trim() ? formattable : '', plan.cost);
  const refused = formatted?.kind === 'plain';
  // Everything from here on is shown as text: from the cut the pre-scan made, or all of it when
  // the parser's own output was refused.
  let plainFrom = refused ? 0 : plan.formatEnd;
  // The cut falls on a blank line: the plain part starts at its first line of text.
  while (plainFrom < text.length && (text[plainFrom] === '\n' || text[plainFrom] === '\r')) plainFrom++;
  const found = refused ? formatted.limit : plan.limit;
  // The pre-scan saw the part the API sent; the note names the whole text's length.
  const limit = found?.kind === 'length' && fullLength !== undefined ? { ...found, count: fullLength } : found;
  const rest = plainFrom < text.length ? text.slice(plainFrom) : '';
  return (
    <div className="message-text">
      {formatted?.kind === 'tree' ? <Tree tree={formatted.tree} /> : null}
      {/* Until the worker answers, the part it formats reads as text; it is replaced, not added to. */}
      {!formatted && formattable.trim() ? (
        <div className="markdown pending" aria-busy="true">
          <PagedText text={formattable} />
        </div>
      ) : null}
      {rest.trim() && limit ? (
        <div className="plain-part">
          <p className="format-note" role="note">
            {describeLimit(limit, !refused && plan.formatEnd > 0)}
          </p>
          <PagedText text={rest} fullLength={fullLength === undefined ? undefined : fullLength - plainFrom} source={source} sourceOffset={plainFrom} />
        </div>
      ) : null}
    </div>
  );
});
