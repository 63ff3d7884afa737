import type { StoreSource } from '../adapters/adapter';
import type { SessionSummary } from '../model/types';
import type { SqliteDatabase } from '../sqlite/open';
import { cjkBody } from './cjk';
import { messageDocs } from './message-docs';
import { KIND_CODE, ROLE_CODE } from './codes';
import type { IndexProgress } from './types';

/**
 * The path every layout has: sessions listed through the reader, and each session that is new or
 * changed (by what its summary says: times, counts, status, title) loaded and indexed again. A
 * session that is gone is dropped. Work is cut into slices with a yield between them, so the service
 * answers other calls (and progress) while a first index is built.
 */

const PAGE = 1000;
const SLICE_MESSAGES = 20_000;
/** A slice also ends after this much text, so the service answers other calls every few hundred ms. */
const SLICE_CHARS = 4_000_000;

export function sessionStamp(s: SessionSummary): string {
  return JSON.stringify([s.updatedAt, s.createdAt, s.messageCount, s.storedMessageCount, s.status, s.title]);
}

export function listAllSessions(source: StoreSource): SessionSummary[] {
  const all: SessionSummary[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = source.listSessions({ sort: 'id', direction: 'asc', offset, limit: PAGE });
    all.push(...page.sessions);
    if (page.sessions.length < PAGE || offset + PAGE >= page.total) return all;
  }
}

/** Returns how many sessions were indexed again or dropped (0: the index was up to date). */
export async function updateGeneric(db: SqliteDatabase, source: StoreSource, progress: (p: IndexProgress) => void, pause: () => Promise<void>): Promise<number> {
  progress({ phase: 'checking', done: 0, total: null });
  const listed = listAllSessions(source);
  const known = new Map((db.prepare('SELECT sid, session_id, stamp FROM sessions').all() as Array<{ sid: number; session_id: string; stamp: string }>).map((r) => [r.session_id, r]));
  const present = new Set<string>();
  const todo: SessionSummary[] = [];
  for (const s of listed) {
    present.add(s.id);
    if (known.get(s.id)?.stamp !== sessionStamp(s)) todo.push(s);
  }
  const docsOf = db.prepare('SELECT rowid FROM docs WHERE sid = ?').pluck();
  const delFts = db.prepare('DELETE FROM fts WHERE rowid = ?');
  const delCjk = db.prepare('DELETE FROM cjk WHERE rowid = ?');
  const delDocs = db.prepare('DELETE FROM docs WHERE sid = ?');
  const delSession = db.prepare('DELETE FROM sessions WHERE sid = ?');
  const forget = (sid: number) => {
    for (const rowid of docsOf.all(sid) as number[]) {
      delFts.run(rowid);
      delCjk.run(rowid);
    }
    delDocs.run(sid);
  };
  let dropped = 0;
  db.transaction(() => {
    for (const [id, row] of known) {
      if (present.has(id)) continue;
      dropped++;
      forget(row.sid);
      delSession.run(row.sid);
    }
  })();

  const putSession = db.prepare('INSERT INTO sessions (session_id, stamp) VALUES (?, ?) ON CONFLICT(session_id) DO UPDATE SET stamp = excluded.stamp RETURNING sid').pluck();
  const putDoc = db.prepare('INSERT INTO docs (sid, message_id, role, kind, ts) VALUES (?, ?, ?, ?, ?)');
  const putFts = db.prepare('INSERT INTO fts (rowid, body) VALUES (?, ?)');
  const putCjk = db.prepare('INSERT INTO cjk (rowid, body) VALUES (?, ?)');
  let done = 0;
  let next = 0;
  while (next < todo.length) {
    let messages = 0;
    let chars = 0;
    db.transaction(() => {
      while (next < todo.length && messages < SLICE_MESSAGES && chars < SLICE_CHARS) {
        const summary = todo[next++];
        const old = known.get(summary.id);
        if (old) forget(old.sid);
        let loaded = null;
        try {
          loaded = source.loadSession(summary.id);
        } catch {
          // An unreadable session is the reader's warning to give; it is simply not searchable.
        }
        const sid = putSession.get(summary.id, sessionStamp(loaded?.session ?? summary)) as number;
        for (const m of loaded?.messages ?? []) {
          for (const d of messageDocs(m)) {
            const rowid = Number(putDoc.run(sid, m.id, ROLE_CODE[m.role], KIND_CODE[d.kind], m.timestamp).lastInsertRowid);
            putFts.run(rowid, d.text);
            chars += d.text.length;
            const cjk = cjkBody(d.text);
            if (cjk) putCjk.run(rowid, cjk);
          }
        }
        messages += 1 + (loaded?.messages.length ?? 0);
        done++;
      }
    })();
    progress({ phase: 'indexing', done, total: todo.length });
    await pause();
  }
  return todo.length + dropped;
}
