/**
 * Claude Code records slash commands as tagged text (`<command-name>/model</command-name>
 * <command-args>…</command-args>`, `<local-command-stdout>…</local-command-stdout>`, `!` shell
 * input as `<bash-input>`, the caveat before them as `<local-command-caveat>`). Shown as written,
 * the tags bury what happened; this gives the text a
 * person reads: the command with its arguments, or the command's output. The original record stays
 * in the inspector. Terminal colour codes in a command's output are dropped (they are not text).
 */

const TAG = /<(command-name|command-message|command-args|local-command-stdout|local-command-stderr|local-command-caveat|bash-input|bash-stdout|bash-stderr)>([\s\S]*?)<\/\1>/g;
// eslint-disable-next-line no-control-regex -- terminal colour codes are exactly control sequences
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

export function commandDisplayText(text: string): string {
  const parts = new Map<string, string>();
  let matched = false;
  for (const m of text.matchAll(TAG)) {
    matched = true;
    if (!parts.has(m[1])) parts.set(m[1], m[2]);
  }
  if (!matched) return text;
  const name = parts.get('command-name')?.trim();
  const lines: string[] = [];
  if (name) lines.push([name, parts.get('command-args')?.trim()].filter(Boolean).join(' '));
  const input = parts.get('bash-input');
  if (input !== undefined) lines.push(`! ${input.trim()}`);
  for (const key of ['local-command-caveat', 'local-command-stdout', 'bash-stdout', 'local-command-stderr', 'bash-stderr']) {
    const out = parts.get(key);
    if (out !== undefined && out.trim() !== '') lines.push(out.replace(ANSI, '').trimEnd());
  }
  if (!lines.length) return name ?? '(no output)';
  return lines.join('\n\n');
}
