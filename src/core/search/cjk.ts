/**
 * Scripts written without spaces between words (Chinese, Japanese, Korean): unicode61 would take a
 * whole run for one token, so these runs also go into a trigram table where any substring of three
 * characters or more is found.
 */
const CJK_CHAR = /[\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3031-\u3035\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]/;
const CJK_RUNS = /[\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3031-\u3035\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]+/g;

export function hasCjk(text: string): boolean {
  return CJK_CHAR.test(text);
}

export function cjkRuns(text: string): string[] {
  return text.match(CJK_RUNS) ?? [];
}

/** The CJK runs of a text, one per line (so no trigram spans two runs); null when there are none. */
export function cjkBody(text: string): string | null {
  if (!hasCjk(text)) return null;
  return cjkRuns(text).join('\n');
}

export const isCjkChar = (c: string): boolean => CJK_CHAR.test(c);
