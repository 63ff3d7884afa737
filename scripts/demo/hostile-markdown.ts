import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Message texts that froze or blanked the window when handed to a markdown parser and the DOM as
 * they are (issue 8's audit): deep nesting, delimiter and bracket storms, huge tables and blocks.
 * Each is a session of its own in a JSONL tree store, so the e2e suite can open them one by one.
 * `shown` is a piece of text the transcript must show once the message is drawn (as text or as markdown).
 */
export interface HostileShape {
  id: string;
  /** The session's title: a message of its own before the hostile one, so the shape stays exact. */
  label: string;
  text: string;
  shown: string;
}

const lines = (count: number, line: (i: number) => string) => Array.from({ length: count }, (_, i) => line(i)).join('\n');

const shape = (id: string, label: string, text: string, shown = text.slice(0, 16)): HostileShape => ({ id, label, text, shown });

export const HOSTILE_MARKDOWN: HostileShape[] = [
  shape('md-dash-list', 'dash list', '- '.repeat(29_000)),
  // The same with a word at the end is no thematic break but 29,000 nested lists: minutes to parse.
  shape('md-dash-nest', 'dash nest', `${'- '.repeat(29_000)}x`),
  shape('md-star-run', 'star run', '*'.repeat(40_000)),
  shape('md-star-storm', 'star storm', '*a'.repeat(20_000)),
  shape('md-star-lines', 'star lines', '*\n'.repeat(20_000)),
  shape('md-emphasis-nest', 'emphasis nest', `${'*_'.repeat(10_000)}x${'_*'.repeat(10_000)}`),
  shape('md-underscore-storm', 'underscore storm', '_a'.repeat(20_000)),
  shape('md-bracket-run', 'bracket run', '['.repeat(50_000)),
  shape('md-bracket-storm', 'bracket storm', '[a'.repeat(25_000)),
  shape('md-image-storm', 'image storm', '!['.repeat(25_000)),
  shape('md-link-close-storm', 'link close storm', ']('.repeat(20_000)),
  shape('md-link-storm', 'link storm', '[a]('.repeat(10_000)),
  shape('md-backtick-run', 'backtick run', '`'.repeat(40_000)),
  shape('md-backtick-storm', 'backtick storm', '`a'.repeat(20_000)),
  shape('md-angle-storm', 'angle storm', '<'.repeat(40_000)),
  shape('md-angle-tag-storm', 'angle tag storm', '<a'.repeat(20_000)),
  shape('md-comment-storm', 'comment storm', '<!--'.repeat(20_000)),
  shape('md-quote-run', 'quote run', `${'>'.repeat(10_000)} deep`),
  shape('md-quote-spaced', 'quote spaced', `${'> '.repeat(10_000)}deep`),
  shape('md-indented-lists', 'indented lists', lines(300, (i) => `${'  '.repeat(i)}- level ${i}`)),
  shape('md-details-html', 'details html', `${'<details><summary>open me</summary>'.repeat(5_000)}inside${'</details>'.repeat(5_000)}`, '<details><summary>open me</summary>'),
  shape('md-div-lines', 'div lines', lines(5_000, () => '<div>'), '<div>'),
  shape('md-long-word', 'long word', 'x'.repeat(100_000)),
  shape('md-long-line', 'long line', 'word '.repeat(20_000)),
  shape('md-code-2mb', 'code block', `\`\`\`\n${lines(45_000, (i) => `line ${i} of a pasted log, padded out a little`)}\n\`\`\``),
  shape('md-highlight-1mb', 'highlighted code', `\`\`\`js\n${lines(22_000, (i) => `function f${i}(a, b) { return a + "s" * ${i}; }`)}\n\`\`\``),
  shape(
    'md-table',
    'big table',
    `|${Array.from({ length: 50 }, (_, c) => ` h${c} |`).join('')}\n|${' --- |'.repeat(50)}\n${lines(1_000, (r) => `|${Array.from({ length: 50 }, (_, c) => ` ${r}.${c} |`).join('')}`)}`,
  ),
  shape('md-footnotes', 'footnotes', `${Array.from({ length: 5_000 }, (_, i) => `ref[^${i}]`).join(' ')}\n\n${lines(5_000, (i) => `[^${i}]: note ${i}`)}`),
  shape('md-autolinks', 'autolinks', `${'www.example.com '.repeat(5_000)}${'https://example.com/'.repeat(2_000)}`),
  shape('md-autolink-run', 'autolink run', 'http://a.b'.repeat(10_000)),
  // Well-formed markdown, then a storm: the first part stays formatted, the rest reads as text.
  shape('md-partial', 'partial', `# Report\n\nAll **fine** here, with \`code\` and a [link](https://example.com).\n\n${'> '.repeat(100)}deep`),
];

/** Markup that must stay text and run, load or navigate nothing. */
export const HOSTILE_HTML = [
  '<script>window.__arborPwned = true</script>',
  '<img src=x onerror="window.__arborPwned = true">',
  '<svg onload="window.__arborPwned = true"></svg>',
  '<iframe src="javascript:window.__arborPwned = true"></iframe>',
  '<form action="http://evil.example/"><button>send</button></form>',
  '<style>body { display: none }</style>',
  '<a href="javascript:window.__arborPwned = true">raw link</a>',
  '[md link](javascript:window.__arborPwned=true)',
  '[entity link](&#106;avascript:window.__arborPwned=true)',
  '[data link](data:text/html,<script>parent.__arborPwned=true</script>)',
  '![remote image](http://evil.example/pixel.png)',
  '<details open><summary>html details</summary>inside</details>',
  '`<script>` in code and\n\n```html\n<script>window.__arborPwned = true</script>\n```',
].join('\n\n');

/** An ordinary long answer (about 12 KB): formatted in the worker, looking as any message does. */
export const LONG_DOCUMENT = Array.from(
  { length: 12 },
  (_, i) => `## Step ${i + 1}: migrate the **${['users', 'orders', 'invoices'][i % 3]}** table

Copy the rows in batches, then switch reads over. See [the guide](https://example.com/guide/${i}) and \`pg_dump\`.

- Lock writes for *at most* a few seconds
- Check counts: \`SELECT count(*) FROM t${i};\`
  - compare with the source
- Keep the old table until the next release

| column | type | note |
| --- | --- | --- |
| id | bigint | primary key |
| created_at | timestamptz | indexed |

\`\`\`sql
INSERT INTO t${i}_new SELECT * FROM t${i} WHERE id > $1 ORDER BY id LIMIT 10000;
\`\`\`

> Tip: run it twice; the second run should copy nothing.
`,
).join('\n');

export const BIG_MESSAGE_BYTES = 20 * 1024 * 1024;

/** A message of about 20 MB: a text block of pasted log lines, a tool call with a huge input, big metadata. */
function bigMessageLines(): string[] {
  const logLine = (i: number) => `${String(i).padStart(8, '0')} INFO worker-${i % 16} processed batch ${i} in ${(i * 7) % 1000} ms`;
  const count = Math.ceil(BIG_MESSAGE_BYTES / 2 / 60);
  const text = `big message start\n${lines(count, logLine)}\nbig message end`;
  const input = { path: 'dump.json', rows: Array.from({ length: 60_000 }, (_, i) => ({ i, v: `value ${i}` })), content: 'y'.repeat(4 * 1024 * 1024) };
  return [
    JSON.stringify({ id: 'big1', parentId: null, type: 'user', role: 'user', timestamp: Date.UTC(2026, 9, 5, 9), content: text, metadata: { note: 'z'.repeat(2 * 1024 * 1024), list: Array.from({ length: 20_000 }, (_, i) => i) } }),
    JSON.stringify({ id: 'big2', parentId: 'big1', type: 'tool_call', role: 'assistant', timestamp: Date.UTC(2026, 9, 5, 9, 1), content: '', toolCalls: [{ id: 'call_big', name: 'write_file', arguments: input }] }),
    JSON.stringify({ id: 'big3', parentId: 'big2', type: 'user', role: 'user', timestamp: Date.UTC(2026, 9, 5, 9, 2), content: 'after the big message' }),
  ];
}

/** A JSONL tree store (FORMATS.md §2) with one session per hostile shape, one of hostile HTML and one ~20 MB session. */
export function buildHostileMarkdownStore(root: string, options: { big?: boolean } = {}): string {
  const sessions: Record<string, Record<string, unknown>> = {};
  let t = Date.UTC(2026, 9, 4, 9);
  const write = (id: string, messageLines: string[]) => {
    mkdirSync(join(root, id), { recursive: true });
    writeFileSync(join(root, id, 'messages.jsonl'), messageLines.join('\n') + '\n');
    sessions[id] = { sessionId: id, createdAt: t, updatedAt: t, messageCount: messageLines.length };
    t += 60_000;
  };
  const one = (id: string, label: string, text: string) =>
    write(id, [
      JSON.stringify({ id: `${id}-label`, parentId: null, type: 'user', role: 'user', timestamp: t, content: label }),
      JSON.stringify({ id: `${id}-q`, parentId: `${id}-label`, type: 'user', role: 'user', timestamp: t + 1000, content: text }),
      JSON.stringify({ id: `${id}-a`, parentId: `${id}-q`, type: 'assistant', role: 'assistant', timestamp: t + 2000, content: `The message above is **${id}**.` }),
    ]);
  for (const shape of HOSTILE_MARKDOWN) one(shape.id, shape.label, shape.text);
  one('md-hostile-html', 'hostile html', HOSTILE_HTML);
  one('md-long-document', 'long document', LONG_DOCUMENT);
  if (options.big) write('md-big-message', bigMessageLines());
  writeFileSync(join(root, 'sessions.json'), JSON.stringify({ keys: {}, sessions }, null, 2));
  return root;
}
