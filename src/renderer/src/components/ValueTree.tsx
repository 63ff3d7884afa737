import { useState } from 'react';
import type { ValuePath, ValueView } from '../../../shared/dto';
import { formatNumber, plural } from '../lib/format';
import { fetchValuePage, type ValueSource } from '../lib/value-pages';
import { TEXT_MAX_SHOWN } from './PagedText';

/**
 * A value the API sent as a cut view (see ValueView), drawn as indented JSON — exactly what
 * JSON.stringify(value, null, 2) gives when nothing was cut — with a "Show more" button at each cut:
 * the rest of a string, the next items of an array or object, a level the view did not descend to.
 * Uncut parts are drawn as plain text runs, so a large view is a few text nodes, not thousands.
 */

/** Items asked for at a time; a string's pages double up to TEXT_MAX_SHOWN. */
const ITEMS_PAGE = 200;
const CHARS_PAGE = 100_000;

interface Cut {
  /** Where the cut node sits, relative to the view's root. */
  at: ValuePath;
  node: ValueView;
  label: string;
}

type Piece = string | Cut;

function loadedCount(node: ValueView): number {
  if (node.type === 'string') return (node.from ?? 0) + node.value.length;
  if (node.type === 'array') return (node.from ?? 0) + node.items.length;
  if (node.type === 'object') return (node.from ?? 0) + node.entries.length;
  return 0;
}

/** Appends the pieces of `node` to `out`: text runs, and a Cut wherever more can be fetched. */
function pieces(node: ValueView, indent: string, at: ValuePath, out: Piece[]): void {
  switch (node.type) {
    case 'null':
      out.push('null');
      return;
    case 'boolean':
    case 'number':
      out.push(JSON.stringify(node.value));
      return;
    case 'other':
      out.push(node.text);
      return;
    case 'deep':
      out.push(`… (${node.summary})`);
      out.push({ at, node, label: 'Show this level' });
      return;
    case 'string': {
      const loaded = loadedCount(node);
      if (loaded >= node.length) {
        out.push(JSON.stringify(node.value));
        return;
      }
      out.push(`${JSON.stringify(node.value).slice(0, -1)}…"`);
      if (loaded < TEXT_MAX_SHOWN) out.push({ at, node, label: `Show more (${formatNumber(node.length - loaded)} more characters of ${formatNumber(node.length)})` });
      else out.push(` (${formatNumber(node.length - loaded)} more characters: export the session to read them)`);
      return;
    }
    case 'array':
    case 'object': {
      const [open, close] = node.type === 'array' ? ['[', ']'] : ['{', '}'];
      const total = node.type === 'array' ? node.length : node.size;
      if (total === 0) {
        out.push(open + close);
        return;
      }
      const inner = `${indent}  `;
      out.push(`${open}\n`);
      const children: Array<[string | number, ValueView]> = node.type === 'array' ? node.items.map((item, i) => [(node.from ?? 0) + i, item]) : node.entries;
      children.forEach(([key, child], i) => {
        out.push(inner + (node.type === 'object' ? `${JSON.stringify(key)}: ` : ''));
        pieces(child, inner, [...at, key], out);
        out.push(i < children.length - 1 || loadedCount(node) < total ? ',\n' : '\n');
      });
      const left = total - loadedCount(node);
      if (left > 0) {
        out.push(inner);
        out.push({ at, node, label: `Show more (${plural(left, node.type === 'array' ? 'more item' : 'more key', node.type === 'array' ? 'more items' : 'more keys')})` });
        out.push('\n');
      }
      out.push(indent + close);
      return;
    }
  }
}

/** Joins adjacent text runs, so the pre holds one text node between two buttons. */
function joined(list: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of list) {
    if (typeof p === 'string' && typeof out.at(-1) === 'string') out[out.length - 1] = (out.at(-1) as string) + p;
    else out.push(p);
  }
  return out;
}

/** The view with the page fetched for the node at `at` merged in. */
function merge(node: ValueView, at: ValuePath, page: ValueView): ValueView {
  if (at.length === 0) {
    if (node.type === 'string' && page.type === 'string') return { ...node, value: node.value + page.value };
    if (node.type === 'array' && page.type === 'array') return { ...node, items: [...node.items, ...page.items] };
    if (node.type === 'object' && page.type === 'object') return { ...node, entries: [...node.entries, ...page.entries] };
    return page;
  }
  const [key, ...rest] = at;
  if (node.type === 'array' && typeof key === 'number') {
    const i = key - (node.from ?? 0);
    return { ...node, items: node.items.map((item, j) => (j === i ? merge(item, rest, page) : item)) };
  }
  if (node.type === 'object') return { ...node, entries: node.entries.map(([k, v]): [string, ValueView] => (k === key ? [k, merge(v, rest, page)] : [k, v])) };
  return node;
}

export function ValueTree({ view, source, label, className = '' }: { view: ValueView; source: ValueSource; label: string; className?: string }) {
  const [state, setState] = useState({ base: view, view, busy: false });
  const current = state.base === view ? state : { base: view, view, busy: false };
  if (current !== state) setState(current);

  const more = async ({ at, node }: Cut) => {
    const loaded = node.type === 'deep' ? 0 : loadedCount(node);
    const limit = node.type === 'string' ? Math.min(TEXT_MAX_SHOWN - loaded, Math.max(CHARS_PAGE, node.value.length)) : ITEMS_PAGE;
    setState((s) => ({ ...s, busy: true }));
    const page = await fetchValuePage({ messageId: source.messageId, path: [...source.path, ...at] }, loaded, limit);
    setState((s) => (s.base === view ? { ...s, view: page ? merge(s.view, at, page) : s.view, busy: false } : s));
  };

  const list: Piece[] = [];
  pieces(current.view, '', [], list);
  return (
    <pre className={`json value-tree ${className}`.trim()} aria-label={label} aria-busy={current.busy}>
      {joined(list).map((p, i) =>
        typeof p === 'string' ? (
          p
        ) : (
          <button key={i} type="button" className="link-button value-more" disabled={current.busy} onClick={() => void more(p)}>
            {p.label}
          </button>
        ),
      )}
    </pre>
  );
}
