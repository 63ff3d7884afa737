/**
 * Test helper process (not a test file): a backend writing while Arbor cleans up.
 *   jsonl FILE COUNT   appends COUNT messages to a messages.jsonl, one open-append-close each (as
 *                      the seed-001 backend's fs.appendFile does), a few ms apart;
 *   sqlite DB COUNT    inserts COUNT chat_history rows for session "live", and every tenth a new
 *                      session with its first row, each in its own transaction, retrying when busy.
 * Prints "started", then when done the ids or contents it wrote, as JSON.
 */
import { appendFileSync } from 'node:fs';
import { openWritable } from '../../src/core/sqlite/open';

const [mode, target, countText] = process.argv.slice(2);
const count = Number(countText);
const pause = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number) => Atomics.wait(pause, 0, 0, ms);
const written: string[] = [];
process.stdout.write('started\n');

if (mode === 'jsonl') {
  for (let i = 0; i < count; i++) {
    const id = `app-${i}`;
    appendFileSync(target, `${JSON.stringify({ id, parentId: 'root', type: 'user', role: 'user', timestamp: Date.now(), content: `appended ${i}` })}\n`);
    written.push(id);
    sleep(Math.floor(Math.random() * 4));
  }
} else {
  const db = openWritable(target);
  const insert = db.prepare(`INSERT INTO chat_history (session_id, role, content) VALUES (?, 'user', ?)`);
  const session = db.prepare(`INSERT INTO sessions (session_id, message_count) VALUES (?, 1)`);
  for (let i = 0; i < count; i++) {
    const content = `ins-${i}`;
    for (;;) {
      try {
        db.transaction(() => {
          if (i % 10 === 0) {
            session.run(`new-${i}`);
            insert.run(`new-${i}`, content);
          } else insert.run('live', content);
        }).immediate();
        break;
      } catch (error) {
        if (!String((error as { code?: string }).code).startsWith('SQLITE_BUSY')) throw error;
      }
    }
    written.push(content);
    sleep(Math.floor(Math.random() * 3));
  }
  db.close();
}
process.stdout.write(`${JSON.stringify(written)}\n`);
