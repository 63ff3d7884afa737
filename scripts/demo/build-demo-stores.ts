import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHAT_HISTORY_DDL } from '../../src/core/stores/sqlite-chat-history/ddl';
import { JSON_HISTORY_DDL } from '../../src/core/stores/sqlite-json-history/ddl';
import { PROVIDER_SESSIONS_DDL } from '../../src/core/stores/sqlite-provider-sessions/ddl';
import { TENANT_MESSAGES_DDL } from '../../src/core/stores/sqlite-tenant-messages/ddl';
import { openWritable } from '../../src/core/sqlite/open';
import { HOSTILE_TEXT, REBASE_ANSWER_LONG, REBASE_ANSWER_SHORT, REBASE_FOLLOW_UP, REBASE_FOLLOW_UP_ANSWER, REBASE_QUESTION, SQL_ANSWER, SQL_QUESTION, TINY_PNG, TOPICS } from './conversations';

/**
 * Writes one small store of each of the five layouts (FORMATS.md §1–5) into `dir`, with the exact
 * DDL each backend uses. The JSONL tree store has real forks and named branches; the others are
 * linear by nature. `options.hostile` adds a session of hostile HTML and a damaged session to each
 * layout that can hold them (for the e2e suite). Times are fixed so the demo looks the same on
 * every machine; expiry is far in the past or far in the future.
 */

export interface DemoOptions {
  hostile?: boolean;
  /** Messages in the big forked JSONL session (0 to leave it out). */
  bigTreeMessages?: number;
}

const BASE = Date.UTC(2026, 9, 1, 9, 0, 0);
const MIN = 60_000;
const FUTURE_S = Math.floor(Date.UTC(2099, 0, 1) / 1000);
const PAST_S = Math.floor(Date.UTC(2026, 0, 1) / 1000);

export function buildDemoStores(dir: string, options: DemoOptions = {}): Record<string, string> {
  mkdirSync(dir, { recursive: true });
  const paths = {
    'jsonl-tree': join(dir, 'jsonl-tree'),
    'sqlite-json-history': join(dir, 'json-history.db'),
    'sqlite-chat-history': join(dir, 'chat-history.db'),
    'sqlite-tenant-messages': join(dir, 'tenant-messages.db'),
    'sqlite-provider-sessions': join(dir, 'provider-router.db'),
  };
  buildJsonlTree(paths['jsonl-tree'], options);
  buildJsonHistory(paths['sqlite-json-history'], options);
  buildChatHistory(paths['sqlite-chat-history'], options);
  buildTenantMessages(paths['sqlite-tenant-messages'], options);
  buildProviderSessions(paths['sqlite-provider-sessions']);
  return paths;
}

type Line = Record<string, unknown>;

function buildJsonlTree(root: string, options: DemoOptions): void {
  const sessions: Record<string, Record<string, unknown>> = {};
  const keys: Record<string, string> = {};
  const write = (id: string, lines: Array<Line | string>, key?: string, branches?: unknown) => {
    mkdirSync(join(root, id), { recursive: true });
    writeFileSync(join(root, id, 'messages.jsonl'), lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
    if (branches) writeFileSync(join(root, id, 'branches.json'), JSON.stringify(branches, null, 2));
    const msgs = lines.filter((l): l is Line => typeof l !== 'string');
    sessions[id] = { sessionId: id, createdAt: msgs[0]?.timestamp ?? BASE, updatedAt: msgs.at(-1)?.timestamp ?? BASE, messageCount: msgs.length };
    if (key) keys[key] = id;
  };
  let t = BASE;
  const m = (id: string, parentId: string | null, type: string, content: unknown, extra: Line = {}): Line => {
    t += 2 * MIN;
    return { id, parentId, type, role: type === 'tool_result' ? undefined : type === 'tool_call' ? 'assistant' : type, timestamp: t, content, ...extra };
  };

  // Regenerated answer, an edited question and a named branch: the tree Arbor exists to show.
  write(
    'git-rebase',
    [
      m('sys', null, 'system', 'You are a concise senior engineer.'),
      m('q1', 'sys', 'user', REBASE_QUESTION),
      m('a1', 'q1', 'assistant', REBASE_ANSWER_LONG),
      m('a2', 'q1', 'assistant', REBASE_ANSWER_SHORT),
      m('q2', 'a1', 'user', REBASE_FOLLOW_UP),
      m('a3', 'q2', 'assistant', REBASE_FOLLOW_UP_ANSWER),
      m('q1b', 'sys', 'user', 'Explain `git rebase` like I am five.'),
      m('a4', 'q1b', 'assistant', 'Imagine stacking your LEGO bricks on top of the newest tower instead of building a bridge between two towers.'),
      m('a5', 'q1b', 'assistant', [{ type: 'thinking', thinking: 'Keep it playful; avoid jargon.' }, { type: 'text', text: 'You pick up your drawings and put them on top of the newest pile, in the same order.' }]),
    ],
    'user:alice',
    [{ name: 'concise', leafMessageId: 'a2', createdAt: BASE + 30 * MIN, path: ['sys', 'q1', 'a2'] }],
  );

  // Tool calls and results, a reset marker.
  write(
    'disk-usage',
    [
      m('u1', null, 'user', 'Which folder is using the most disk space in /var?'),
      m('c1', 'u1', 'tool_call', '', { toolCalls: [{ id: 'call_1', name: 'shell', arguments: { command: 'du -sh /var/* | sort -h | tail -3' } }] }),
      m('r1', 'c1', 'tool_result', undefined, { toolResult: { toolCallId: 'call_1', content: '1.2G\t/var/cache\n3.4G\t/var/lib\n9.8G\t/var/log' } }),
      m('a1', 'r1', 'assistant', '`/var/log` uses **9.8 GB**. Rotating the journal usually frees most of it:\n\n```bash\nsudo journalctl --vacuum-size=500M\n```'),
      m('c2', 'a1', 'tool_call', '', { toolCalls: [{ id: 'call_2', name: 'shell', arguments: { command: 'rm -rf /var/log/*' } }] }),
      m('r2', 'c2', 'tool_result', undefined, { toolResult: { toolCallId: 'call_2', content: 'Permission denied', isError: true } }),
      m('reset', 'r2', 'system', 'Session was reset after 6 messages.', { metadata: { resetMarker: true, reason: 'maxMessages' } }),
    ],
    'telegram:4242',
  );

  write('sql-help', [m('s1', null, 'user', SQL_QUESTION), m('s2', 's1', 'assistant', SQL_ANSWER), m('s3', 's2', 'user', 'Thanks!')], 'user:bob');

  if (options.bigTreeMessages) writeBigTree(root, 'long-design-review', options.bigTreeMessages, sessions);

  if (options.hostile) {
    write('hostile', [m('h1', null, 'user', HOSTILE_TEXT), m('h2', 'h1', 'assistant', `Quoting it back: ${HOSTILE_TEXT}`)]);
    // Damaged on purpose: a truncated line, a line that is not JSON, an orphan and a duplicate id.
    write('damaged', [
      m('d1', null, 'user', 'This session survived a crash.'),
      m('d2', 'd1', 'assistant', 'Most of it, anyway.'),
      '{"id":"d3","parentId":"d2","type":"user","content":"cut off mid-wri',
      'this line is not JSON',
      m('d4', 'ghost', 'assistant', 'My parent is gone.'),
      m('d1', null, 'user', 'A duplicate id.'),
    ]);
    // An index entry whose folder is gone.
    sessions['vanished'] = { sessionId: 'vanished', createdAt: BASE, updatedAt: BASE, messageCount: 4 };
  }
  writeFileSync(join(root, 'sessions.json'), JSON.stringify({ keys, sessions }, null, 2));
}

/** A long design review: a trunk with a regenerated alternative every 100 messages. */
function writeBigTree(root: string, id: string, count: number, sessions: Record<string, Record<string, unknown>>): void {
  const lines: string[] = [];
  let trunk: string | null = null;
  let t = BASE;
  for (let i = 0; i < count; i++) {
    const type = i % 2 === 0 ? 'user' : 'assistant';
    const mid = `m${i}`;
    t += MIN;
    if (i > 0 && i % 100 === 0) {
      lines.push(JSON.stringify({ id: `alt${i}`, parentId: trunk, type, role: type, timestamp: t, content: `Alternative take #${i / 100} on ${TOPICS[(i / 100) % TOPICS.length].toLowerCase()}.` }));
      t += MIN;
    }
    lines.push(JSON.stringify({ id: mid, parentId: trunk, type, role: type, timestamp: t, content: `${type === 'user' ? 'Question' : 'Answer'} ${i}: ${TOPICS[i % TOPICS.length]}.` }));
    trunk = mid;
  }
  mkdirSync(join(root, id), { recursive: true });
  writeFileSync(join(root, id, 'messages.jsonl'), lines.join('\n') + '\n');
  sessions[id] = { sessionId: id, createdAt: BASE, updatedAt: t, messageCount: lines.length };
}

function buildJsonHistory(path: string, options: DemoOptions): void {
  const db = openWritable(path);
  db.exec(JSON_HISTORY_DDL);
  const insert = db.prepare('INSERT INTO sessions VALUES (?, ?, ?, ?, ?)');
  const s = Math.floor(BASE / 1000);
  insert.run('session-button', JSON.stringify([
    { role: 'user', content: 'Create a button component with a loading state.' },
    { role: 'assistant', content: [
      { type: 'thinking', thinking: 'A disabled state while loading avoids double submits.', signature: 'sig' },
      { type: 'text', text: 'Here is a button that disables itself while `loading` is true.' },
      { type: 'tool_use', id: 'toolu_1', name: 'write_file', input: { path: 'Button.tsx', content: 'export function Button() {}' } },
    ] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Wrote Button.tsx (1 line)' }] },
    { role: 'assistant', content: [{ type: 'text', text: '✓ Created `Button.tsx`. Here is a preview:' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: TINY_PNG } }] },
  ]), s, s + 600, FUTURE_S);
  insert.run('session-animation', JSON.stringify([
    { role: 'user', content: 'Add a fade-in animation to the button.' },
    { role: 'assistant', content: 'Use a CSS transition on `opacity`:\n\n```css\n.button { transition: opacity 150ms ease-in; }\n```' },
  ]), s - 86_400 * 9, s - 86_400 * 9 + 300, PAST_S);
  if (options.hostile) {
    insert.run('session-hostile', JSON.stringify([{ role: 'user', content: HOSTILE_TEXT }]), s + 60, s + 60, FUTURE_S);
    insert.run('session-broken', '[{"role":"user","content":"truncated', s + 120, s + 120, FUTURE_S);
  }
  db.close();
}

function buildChatHistory(path: string, options: DemoOptions): void {
  const db = openWritable(path);
  db.exec(CHAT_HISTORY_DDL);
  const session = db.prepare('INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?)');
  const message = db.prepare('INSERT INTO chat_history (session_id, role, content, timestamp, metadata) VALUES (?, ?, ?, ?, ?)');
  session.run('abc123', 'fp-7f3a', '2026-10-01 09:00:00', '2026-10-01 09:06:00', 4, '{"client": "web"}');
  message.run('abc123', 'user', 'What are the opening hours of the library?', '2026-10-01 09:00:00', null);
  message.run('abc123', 'assistant', 'The main library is open **9:00–20:00** on weekdays and 10:00–16:00 on Saturdays.', '2026-10-01T09:00:04.123456', '{"model": "rag-v2", "sources": 3}');
  message.run('abc123', 'user', 'And on Sundays?', 1_759_309_500, null);
  message.run('abc123', 'assistant', 'It is closed on Sundays.', '2026-10-01T09:06:00Z', null);
  // The backend's message_count drifted: Arbor shows both counts.
  session.run('voice-42', 'fp-19c0', '2026-10-02 14:30:00', '2026-10-02 14:31:00', 5, '{"client": "voice"}');
  message.run('voice-42', 'user', 'Book a room for tomorrow at ten.', '2026-10-02 14:30:00', null);
  message.run('voice-42', 'assistant', 'Room 2B is booked for tomorrow, 10:00–11:00.', '2026-10-02 14:31:00', null);
  if (options.hostile) {
    session.run('hostile', 'fp-0000', '2026-10-03 10:00:00', '2026-10-03 10:00:00', 1, 'not json');
    message.run('hostile', 'user', HOSTILE_TEXT, '2026-10-03 10:00:00', null);
  }
  // History rows whose session row was deleted without them (no cascade in this schema). The
  // backend's Python sqlite3 leaves foreign keys off; better-sqlite3 turns them on, so switch off.
  db.pragma('foreign_keys = OFF');
  message.run('deleted-session', 'user', 'Is anyone there?', '2026-09-20 08:00:00', null);
  db.close();
}

function buildTenantMessages(path: string, options: DemoOptions): void {
  const db = openWritable(path);
  db.exec(TENANT_MESSAGES_DDL);
  // Drizzle's own bookkeeping table sits beside the store's tables; readers must leave it alone.
  db.exec('CREATE TABLE `__drizzle_migrations` (id INTEGER PRIMARY KEY, hash text NOT NULL, created_at numeric)');
  const session = db.prepare('INSERT INTO sessions VALUES (?, ?, ?, ?, ?)');
  const message = db.prepare('INSERT INTO messages VALUES (?, ?, ?, ?, ?)');
  const iso = (minutes: number) => new Date(BASE + minutes * MIN).toISOString();
  const add = (id: string, tenant: string, user: string | null, turns: Array<[string, string]>, start: number) => {
    session.run(id, tenant, user, JSON.stringify({ plan: tenant === 'acme' ? 'pro' : 'free' }), iso(start));
    turns.forEach(([role, content], i) => message.run(`${id}-m${i}`, id, role, content, iso(start + i)));
  };
  add('acme-1', 'acme', 'u-ana', [['system', 'You are Acme support.'], ['user', 'My invoice shows the wrong VAT number.'], ['assistant', 'I have corrected the VAT number; a new invoice is on its way.']], 0);
  add('acme-2', 'acme', 'u-ben', [['user', 'How do I export my data?'], ['assistant', 'Settings → Data → **Export** gives you a ZIP of every record.']], 60);
  add('globex-1', 'globex', null, [['user', 'Reset my password please.'], ['assistant', 'A reset link has been sent to your email.']], 120);
  add('globex-2', 'globex', 'u-cy', [['user', SQL_QUESTION], ['assistant', SQL_ANSWER]], 180);
  if (options.hostile) add('acme-hostile', 'acme', 'u-eve', [['user', HOSTILE_TEXT]], 240);
  db.close();
}

function buildProviderSessions(path: string): void {
  const db = openWritable(path);
  db.exec(PROVIDER_SESSIONS_DDL);
  const insert = db.prepare('INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?)');
  insert.run('f8f84ab6d56d9fc0b42b2d7c155933ea', 'chat-12345', 'msg-response-001', BASE, BASE + 5 * MIN, Date.UTC(2099, 0, 1), 2);
  insert.run('5d41402abc4b2a76b9719d911017c592', 'chat-67890', 'msg-response-017', BASE - 86_400_000, BASE - 86_000_000, Date.UTC(2026, 0, 1), 9);
  insert.run('7d793037a0760186574b0282f2f435e7', 'chat-24680', null, BASE + 10 * MIN, BASE + 10 * MIN, Date.UTC(2099, 0, 1), 0);
  db.close();
}
