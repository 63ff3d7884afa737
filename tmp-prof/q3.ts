import { layoutOfSource, openStore } from '../src/core/catalog';
import { SourceIndex } from '../src/core/search';
import Database from 'better-sqlite3';
const path = '/tmp/arbor-bench/chat-history-10000x1000000.db';
const source = openStore(path);
const layout = layoutOfSource(source);
const index = new SourceIndex(source, { root: '/tmp/arbor-bench/search-cache', table: layout.search, linear: true });
const idx = new Database('/tmp/arbor-bench/search-cache/search/011805a4db9b54718c8c8833d91ce18b.db', { readonly: true });
const page = idx.prepare('SELECT rowid FROM fts WHERE fts MATCH ? AND rowid < ? ORDER BY rowid DESC LIMIT 50').pluck();
const count = idx.prepare('SELECT count(*) FROM (SELECT rowid FROM fts WHERE fts MATCH ? LIMIT 10001)').pluck();
const QUERIES = ['fox', 'lazy dog', 'branches merge', 'conversations', 'jumps', 'quick brown fox', 'sessions', 'across long'];
await index.update();
let ours = 0, bare = 0;
for (let r = 0; r < 300; r++) for (const q of QUERIES) {
  const w = q.split(' ').map((x) => `"${x}"`).join(' ');
  let t = performance.now(); page.all(w, Number.MAX_SAFE_INTEGER); count.get(w); if (r > 20) bare += performance.now() - t;
  t = performance.now(); await index.query(q, {}, 50); if (r > 20) ours += performance.now() - t;
}
console.log('mean ours', ours / 279 / 8, 'bare', bare / 279 / 8, 'ratio', ours / bare);
const g = globalThis as any; const n = 300*8; console.log({fresh:g.tf/n, pre:g.tpre/n, page:g.tp/n, rows:g.tr/n, loop:g.ts/n, count:g.tc/n});
