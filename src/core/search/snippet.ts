import type { SearchTerms, } from './query-text';
import type { Snippet } from './types';

/**
 * A snippet built from the store's own text (the index keeps no text): the matched words found
 * again in the folded text (case and diacritics off, as the tokenizer does), mapped back to the
 * original characters, and a window around the first match. Returned as text and ranges: the UI
 * splits the text at the ranges and never renders it as markup.
 */

const WINDOW = 180;
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/** Anything but printable ASCII and the usual whitespace (a rare control character takes the general path). */
const NON_ASCII = /[^\t\n\r -~]/;

/**
 * The folded text and, for every folded UTF-16 unit, the index of the original unit it came from
 * (null: the same index, for ASCII text, whose folding is lower case only — the usual case, and a
 * query builds fifty snippets).
 */
function foldWithMap(text: string): { folded: string; origin: number[] | null } {
  if (!NON_ASCII.test(text)) return { folded: text.toLowerCase(), origin: null };
  let folded = '';
  const origin: number[] = [];
  for (let i = 0; i < text.length; ) {
    const code = text.codePointAt(i)!;
    if (code < 0x80) {
      // ASCII, the usual case: lower case is all the folding there is.
      folded += code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : text[i];
      origin.push(i);
      i++;
      continue;
    }
    const width = code > 0xffff ? 2 : 1;
    const f = text.slice(i, i + width).normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    for (let k = 0; k < f.length; k++) origin.push(i);
    folded += f;
    i += width;
  }
  origin.push(text.length);
  return { folded, origin };
}

/** Whether the UTF-16 unit at `i` belongs to a word (ASCII by its code: a snippet asks this per match). */
function isWordUnit(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  if (code < 0x80) return (code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
  return WORD_CHAR.test(text[i]);
}

export function findMatches(text: string, terms: SearchTerms['terms']): Array<[number, number]> {
  if (!text || terms.length === 0) return [];
  const { folded, origin } = foldWithMap(text);
  const at0 = (i: number) => (origin ? origin[i] : i);
  const ranges: Array<[number, number]> = [];
  for (const term of terms) {
    if (!term.text) continue;
    for (let at = folded.indexOf(term.text); at >= 0; at = folded.indexOf(term.text, at + 1)) {
      if (!term.anywhere && at > 0 && isWordUnit(folded, at - 1)) continue;
      ranges.push([at0(at), at0(at + term.text.length) ?? text.length]);
      if (ranges.length > 2000) break;
    }
  }
  if (ranges.length < 2) return ranges;
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: Array<[number, number]> = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/** Folding walks every character: a long text is first narrowed to the region around a match. */
const LONG_TEXT = 20_000;
const REGION = 2_000;

function region(text: string, terms: SearchTerms['terms']): string {
  if (text.length <= LONG_TEXT) return text;
  const lower = text.toLowerCase();
  let at = -1;
  for (const t of terms) {
    const i = lower.indexOf(t.text);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  // A match only the folding finds (diacritics): look at the start of the text.
  if (at < 0) return text.slice(0, LONG_TEXT);
  const start = Math.max(0, at - REGION);
  return `${start > 0 ? '… ' : ''}${text.slice(start, at + REGION)}`;
}

export function makeSnippet(text: string, terms: SearchTerms['terms']): Snippet {
  const flat = region(text, terms).replace(/\s+/g, ' ');
  const matches = findMatches(flat, terms);
  const first = matches[0]?.[0] ?? 0;
  let start = Math.max(0, first - Math.floor(WINDOW / 3));
  if (start > 0) {
    const space = flat.lastIndexOf(' ', start);
    if (space > start - 20 && space >= 0) start = space + 1;
  }
  const end = Math.min(flat.length, start + WINDOW);
  const lead = start > 0 ? '…' : '';
  const tail = end < flat.length ? '…' : '';
  const body = flat.slice(start, end);
  const highlights = matches
    .filter(([s, e]) => e > start && s < end)
    .map(([s, e]): [number, number] => [Math.max(s, start) - start + lead.length, Math.min(e, end) - start + lead.length]);
  return { text: `${lead}${body}${tail}`, highlights };
}
