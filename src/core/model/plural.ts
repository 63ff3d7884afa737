/**
 * "1 session", "2 sessions", "1 leaf", "3 leaves": counts in CLI lines, previews and messages, never
 * "session(s)". The count is grouped for reading (12,345) in English, the language of these texts.
 */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}
