import { cjkRuns, hasCjk } from './cjk';

/**
 * The user's words as FTS5 queries. Nothing the user types is FTS syntax: every word becomes a quoted
 * string (a `"` inside doubled), so `"`, `*`, `NEAR`, `-`, `:` and `AND` are searched as text or, being
 * separators to the tokenizer, ignored. Words are ANDed and matched whole (a prefix query walks every
 * token it could start, hundreds of ms on a big index; the index keeps no prefix tables, for its size).
 */

export interface SearchTerms {
  /** For the unicode61 table; null when the text has no word outside CJK runs of three or more. */
  main: string | null;
  /** For the trigram table (CJK runs of three characters or more); null when there are none. */
  cjk: string | null;
  /** The folded words and runs, for highlighting: words match at a word start, CJK runs anywhere. */
  terms: Array<{ text: string; anywhere: boolean }>;
}

const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const quote = (w: string) => `"${w.replace(/"/g, '""')}"`;

export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

export function searchTerms(text: string): SearchTerms {
  const main: string[] = [];
  const cjk: string[] = [];
  const terms: SearchTerms['terms'] = [];
  for (const word of text.normalize('NFC').match(WORD) ?? []) {
    if (!hasCjk(word)) {
      main.push(word);
      terms.push({ text: foldText(word), anywhere: false });
      continue;
    }
    for (const run of cjkRuns(word)) {
      if ([...run].length >= 3) cjk.push(run);
      else main.push(run);
      terms.push({ text: foldText(run), anywhere: true });
    }
    for (const rest of word.split(/[\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3031-\u3035\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]+/)) {
      if (rest) {
        main.push(rest);
        terms.push({ text: foldText(rest), anywhere: false });
      }
    }
  }
  const mainQuery = main.length ? main.map(quote).join(' ') : null;
  return { main: mainQuery, cjk: cjk.length ? cjk.map(quote).join(' ') : null, terms };
}
