import Database from 'better-sqlite3';
const idx = new Database('/tmp/arbor-bench/search-cache/search/011805a4db9b54718c8c8833d91ce18b.db', { readonly: true });
const st = new Database('/tmp/arbor-bench/chat-history-10000x1000000.db', { readonly: true });
const QUERIES = ['fox', 'lazy dog', 'branches merge', 'conversations', 'jumps', 'quick brown fox', 'sessions', 'across long'].map(q=>q.split(' ').map(w=>`"${w}"`).join(' '));
const page = idx.prepare('SELECT rowid FROM fts WHERE fts MATCH ? AND rowid < ? ORDER BY rowid DESC LIMIT 50').pluck();
const count = idx.prepare('SELECT count(*) FROM (SELECT rowid FROM fts WHERE fts MATCH ? LIMIT 10001)').pluck();
const rows = st.prepare('SELECT id, session_id, role, content FROM chat_history WHERE id IN (SELECT value FROM json_each(?))');
const rows2 = st.prepare(`SELECT id, session_id, role, content FROM chat_history WHERE id IN (${Array(50).fill('?').join(',')})`);
let tp=0,tc=0,tr=0,tr2=0;
for (let i=0;i<100;i++) for (const q of QUERIES) {
 let t=performance.now(); const ids = page.all(q, Number.MAX_SAFE_INTEGER) as number[]; tp+=performance.now()-t;
 t=performance.now(); count.get(q); tc+=performance.now()-t;
 t=performance.now(); rows.all(JSON.stringify(ids)); tr+=performance.now()-t;
 const padded = [...ids, ...Array(50-ids.length).fill(-1)];
 t=performance.now(); rows2.all(...padded); tr2+=performance.now()-t;
}
console.log({page:tp/800,count:tc/800,rowsJson:tr/800,rowsParams:tr2/800});
console.log(st.prepare("select sql from sqlite_master").all());
