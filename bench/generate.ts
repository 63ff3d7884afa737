import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHAT_HISTORY_DDL } from '../src/core/stores/sqlite-chat-history/ddl';
import { openWritable } from '../src/core/sqlite/open';

/**
 * The bench's stores, generated once into a cache folder and reused: a seed-002 store with 10,000
 * sessions and 1,000,000 messages, and a seed-001 session with 100,000 messages and 1,000 forks.
 */

export const LIST_SESSIONS = 10_000;
export const LIST_MESSAGES = 1_000_000;
export const TREE_MESSAGES = 100_000;
export const TREE_FORKS = 1_000;

const WORDS = 'the quick brown fox jumps over a lazy dog while branches fork and merge across sessions of long conversations'.split(' ');
function sentence(seed: number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[(seed * 7 + i * 13) % WORDS.length]);
  return out.join(' ');
}

export function chatHistoryStore(dir: string): string {
  const path = join(dir, `chat-history-${LIST_SESSIONS}x${LIST_MESSAGES}.db`);
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  const temp = `${path}.tmp`;
  rmSync(temp, { force: true });
  const db = openWritable(temp);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  // The tables first and the indexes after the bulk load (the same DDL, split so loading is fast).
  const [tables, indexes] = splitIndexes(CHAT_HISTORY_DDL);
  db.exec(tables);
  const perSession = LIST_MESSAGES / LIST_SESSIONS;
  const base = Date.UTC(2026, 0, 1) / 1000;
  const session = db.prepare('INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?)');
  const message = db.prepare('INSERT INTO chat_history (session_id, role, content, timestamp) VALUES (?, ?, ?, ?)');
  const sqlTime = (s: number) => new Date(s * 1000).toISOString().replace('T', ' ').slice(0, 19);
  db.transaction(() => {
    for (let s = 0; s < LIST_SESSIONS; s++) {
      const id = `session-${String(s).padStart(6, '0')}`;
      const start = base + s * 60;
      session.run(id, `fp-${s % 97}`, sqlTime(start), sqlTime(start + perSession * 30 + (s * 7919) % 86_400), perSession, '{"client":"web"}');
    }
  })();
  // Messages interleaved across sessions, as a live backend writes them.
  db.transaction(() => {
    for (let i = 0; i < LIST_MESSAGES; i++) {
      const s = i % LIST_SESSIONS;
      const turn = Math.floor(i / LIST_SESSIONS);
      message.run(`session-${String(s).padStart(6, '0')}`, turn % 2 ? 'assistant' : 'user', sentence(i, 12 + (i % 20)), sqlTime(base + s * 60 + turn * 30));
    }
  })();
  db.exec(indexes);
  db.close();
  renameSync(temp, path);
  return path;
}

/** A trunk of user/assistant turns; every 100th message also gets a one-to-three-message alternative. */
export function bigTreeStore(dir: string): { root: string; sessionId: string; file: string } {
  const root = join(dir, `jsonl-tree-${TREE_MESSAGES}x${TREE_FORKS}`);
  const sessionId = 'big-session';
  const file = join(root, sessionId, 'messages.jsonl');
  if (existsSync(join(root, 'sessions.json'))) return { root, sessionId, file };
  mkdirSync(join(root, sessionId), { recursive: true });
  let written = 0;
  let trunk: string | null = null;
  let t = Date.UTC(2026, 0, 1);
  const every = Math.floor(TREE_MESSAGES / TREE_FORKS);
  const lines: string[] = [];
  const emit = (id: string, parentId: string | null, type: string) => {
    t += 1000;
    lines.push(JSON.stringify({ id, parentId, type, role: type, timestamp: t, content: sentence(written, 10 + (written % 40)), metadata: { model: 'bench-1', tokens: written % 500 } }));
    written++;
  };
  let forks = 0;
  while (written < TREE_MESSAGES) {
    const type = written % 2 ? 'assistant' : 'user';
    if (trunk && written % every === 0 && forks < TREE_FORKS && written + 2 < TREE_MESSAGES) {
      emit(`alt-${forks}`, trunk, type);
      emit(`alt-${forks}-r`, `alt-${forks}`, type === 'user' ? 'assistant' : 'user');
      forks++;
    }
    const id = `m-${written}`;
    emit(id, trunk, type);
    trunk = id;
  }
  writeFileSync(file, lines.join('\n') + '\n');
  writeIndex(root, sessionId, written, t);
  return { root, sessionId, file };
}

function writeIndex(root: string, sessionId: string, count: number, updated: number): void {
  writeFileSync(join(root, 'sessions.json'), JSON.stringify({ keys: { 'bench:1': sessionId }, sessions: { [sessionId]: { sessionId, createdAt: Date.UTC(2026, 0, 1), updatedAt: updated, messageCount: count } } }));
}

/** The CREATE TABLE statements and the CREATE INDEX statements of a DDL, apart. */
function splitIndexes(ddl: string): [string, string] {
  const statements = ddl.split(';').map((x) => x.trim()).filter(Boolean);
  const isIndex = (x: string) => /^CREATE\s+INDEX/i.test(x);
  return [statements.filter((x) => !isIndex(x)).join(';\n') + ';', statements.filter(isIndex).join(';\n') + ';'];
}
