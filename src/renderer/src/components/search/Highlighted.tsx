import type { SearchSnippet } from '../../../../shared/search-dto';

/**
 * A snippet with its matches marked: the text is split at the match ranges and each part rendered
 * as a text node, so whatever a message holds (markup, script) stays inert text.
 */
export function Highlighted({ snippet }: { snippet: SearchSnippet }) {
  const parts: Array<{ text: string; match: boolean }> = [];
  let at = 0;
  for (const [start, end] of snippet.highlights) {
    if (start < at || end <= start || end > snippet.text.length) continue;
    if (start > at) parts.push({ text: snippet.text.slice(at, start), match: false });
    parts.push({ text: snippet.text.slice(start, end), match: true });
    at = end;
  }
  if (at < snippet.text.length) parts.push({ text: snippet.text.slice(at), match: false });
  return (
    <span className="search-snippet">
      {parts.map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </span>
  );
}
