import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openReadOnly } from '../src/core/sqlite/open';
import { openStore } from '../src/core/catalog';
import { compressTree } from '../src/core/tree/compress';
import { buildSessionTree } from '../src/core/tree/session-tree';
import { bigTreeStore, chatHistoryStore, LIST_MESSAGES, LIST_SESSIONS, TREE_FORKS, TREE_MESSAGES } from './generate';
import { claudeCodeRows } from './claude-code';
import { chatgptRows } from './chatgpt-export';
import { exportRows } from './export';
import { hugeSessionRows } from './huge-session';
import { searchRows } from './search';
import { liveRows } from './live';
import { gc, heapUsedMb, timeAgainstFloor, timeMedian, type Row } from './measure';

/**
 * `npm run bench`: Arbor's speed and memory next to their bare floors (the raw SQL query, the raw
 * line-by-line JSON.parse), as ratios. Not a test: it prints figures and flags missed targets.
 */


const json = process.argv.includes('--json');
/** `npm run bench -- --only=search` (comma-separated: list, tree, export, claude-code, chatgpt, search, huge, live) runs just those parts. */
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const want = (part: string) => !only || only.includes(part);
const cacheDir = process.env.ARBOR_BENCH_DIR ?? join(tmpdir(), 'arbor-bench');
const log = (text: string) => {
  if (!json) process.stderr.write(`${text}\n`);
};
const rows: Row[] = [];
const PAGE = 100;

log(`Generating (or reusing) bench stores in ${cacheDir} …`);
// Only the parts asked for generate their stores (`--only=live` needs none of these).
const needsList = ['list', 'export', 'search'].some(want);
const listPath = needsList ? chatHistoryStore(cacheDir) : '';
const tree = want('tree') ? bigTreeStore(cacheDir) : { root: '', sessionId: '', file: '' };

// 1. First page of the session list, newest first, against the bare statements that fetch the same
//    page: the total, the page of session rows by last activity, and for those ids the counted messages
//    and the first user text (one grouped query through the session index).
if (want('list')) {
  const source = openStore(listPath);
  const db = openReadOnly(listPath);
  const total = db.prepare('SELECT count(*) FROM sessions').pluck();
  const page = db.prepare(`SELECT * FROM sessions ORDER BY last_active DESC, session_id LIMIT ${PAGE}`);
  const stats = db.prepare(
    `SELECT h.session_id, count(*) AS counted,
       (SELECT t.content FROM chat_history t WHERE t.session_id = h.session_id AND t.role = 'user' ORDER BY t.id LIMIT 1) AS first_user
     FROM chat_history h WHERE h.session_id IN (SELECT value FROM json_each(?)) GROUP BY h.session_id`,
  );
  const { floorMs: floor, ms: ours } = timeAgainstFloor(
    40,
    () => {
      total.get();
      const rows = page.all() as Array<{ session_id: string }>;
      stats.all(JSON.stringify(rows.map((r) => r.session_id)));
    },
    () => source.listSessions({ sort: 'updated', direction: 'desc', offset: 0, limit: PAGE }),
    3,
  );
  db.close();
  source.close();
  rows.push({ figure: `session list, first page of ${PAGE} (${LIST_SESSIONS.toLocaleString('en')} sessions, ${LIST_MESSAGES.toLocaleString('en')} messages)`, ms: ours, floorMs: floor, ratio: ours / floor, target: '≤ 1.5× and ≤ 30 ms', met: ours <= 1.5 * floor && ours <= 30 });
}

// 2. Loading + indexing the big tree against reading the file and JSON.parse of every line.
if (want('tree')) {
  const source = openStore(tree.root);
  const { floorMs: floor, ms: ours } = timeAgainstFloor(
    9,
    () => {
      const text = readFileSync(tree.file, 'utf8');
      const out: unknown[] = [];
      for (const line of text.split('\n')) if (line) out.push(JSON.parse(line));
      return out;
    },
    // A new source each time: a first open of the session, not a re-read from its tail cache.
    () => {
      const fresh = openStore(tree.root);
      const built = buildSessionTree(fresh.loadSession(tree.sessionId)!);
      fresh.close();
      return built;
    },
  );
  rows.push({ figure: `load + index a ${TREE_MESSAGES.toLocaleString('en')}-message tree with ${TREE_FORKS.toLocaleString('en')} forks`, ms: ours, floorMs: floor, ratio: ours / floor, target: '≤ 1.3×', met: ours <= 1.3 * floor });

  const built = buildSessionTree(source.loadSession(tree.sessionId)!);
  let segments = 0;
  const compress = timeMedian(10, () => {
    segments = compressTree(built.index).segments.length;
  });
  rows.push({ figure: `compress it (${segments.toLocaleString('en')} segments)`, ms: compress, floorMs: null, ratio: null, target: '-', met: true });

  // Peak heap: the heap right after a first load, before any GC, is an upper bound of what loading
  // needs; what stays is the tree and the source's tail cache of the file, as while the app shows it.
  const first = openStore(tree.root);
  gc();
  const before = heapUsedMb();
  let held: unknown = buildSessionTree(first.loadSession(tree.sessionId)!);
  const peak = heapUsedMb() - before;
  gc();
  const retained = heapUsedMb() - before;
  held = null;
  void held;
  first.close();
  rows.push({ figure: 'peak heap while loading the tree (MB, before GC)', ms: peak, floorMs: null, ratio: null, target: '≤ 150 MB', met: peak <= 150 });
  rows.push({ figure: 'heap the loaded tree and the source keep (MB, after GC)', ms: retained, floorMs: null, ratio: null, target: '-', met: true });
  source.close();
}

// 3. Export throughput on the 1M-message store (issue 4), against reading the same rows bare.
if (want('export')) rows.push(...(await exportRows(listPath, cacheDir, LIST_MESSAGES)));

// 4. Claude Code (issue 9): a 100 MB session, and a projects/ folder of 2,000 files.
if (want('claude-code')) rows.push(...claudeCodeRows(cacheDir, log));
// 5. A 500 MB ChatGPT export (issue 10): the list after one streaming pass, memory, opening one conversation; and its .zip.
if (want('chatgpt')) rows.push(...(await chatgptRows(cacheDir, log)));
// 6. Search (issue 11): building the index of the 1M-message store, queries, the LIKE peer, the index's size.
if (want('search')) rows.push(...(await searchRows(listPath, cacheDir, LIST_MESSAGES, log)));

// 7. Huge sessions (issue 12): open as the app does (windows of the path), deep branch switches.
if (want('huge') && !process.argv.includes('--skip-huge')) rows.push(...hugeSessionRows(cacheDir, log));
// 8. Issue 12: a call on one store while another is locked; an appended line seen (the service in its worker pool).
if (want('live')) rows.push(...(await liveRows(log, cacheDir)));

if (json) {
  process.stdout.write(`${JSON.stringify({ rows }, null, 2)}\n`);
} else {
  const fmt = (n: number | null, digits = 1) => (n === null ? '-' : n.toFixed(digits));
  const header = ['figure', 'ms / MB', 'floor ms', 'ratio', 'target', 'met'];
  const table = rows.map((r) => [r.figure, fmt(r.ms), fmt(r.floorMs), r.ratio === null ? '-' : `${r.ratio.toFixed(2)}×`, r.target, r.met ? 'yes' : 'NO']);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  process.stdout.write(`${[line(header), line(widths.map((w) => '-'.repeat(w))), ...table.map(line)].join('\n')}\n`);
}
