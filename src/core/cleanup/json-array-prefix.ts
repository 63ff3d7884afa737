/**
 * The first `keep` items of a JSON array, cut from its text rather than re-serialised: every byte of
 * the kept items stays as the backend wrote it (number spellings, escapes, unknown fields, spacing).
 * The text must be a valid JSON array (the caller has parsed it); strings are skipped whole so that
 * brackets and commas inside them do not count.
 */
export function jsonArrayPrefix(text: string, keep: number): string {
  const open = text.indexOf('[');
  if (open < 0) throw new Error('not a JSON array');
  if (keep <= 0) return '[]';
  let depth = 0;
  let items = 0;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '[' || c === '{') {
      depth++;
    } else if (c === ']' || c === '}') {
      if (depth === 0) return text.slice(0, i + 1); // The array ends before `keep` items: keep it whole.
      depth--;
    } else if (c === ',' && depth === 0) {
      items++;
      if (items === keep) return `${text.slice(0, i).trimEnd()}]`;
    }
  }
  throw new Error('unterminated JSON array');
}
