import Database from 'better-sqlite3';
import { makeSnippet, findMatches } from '../src/core/search/snippet';
import { searchTerms } from '../src/core/search/query-text';
const st = new Database('/tmp/arbor-bench/chat-history-10000x1000000.db', { readonly: true });
const texts = st.prepare("select content from chat_history where id > 500000 limit 50").pluck().all() as string[];
console.log(texts[0]);
const terms = searchTerms('quick brown fox').terms;
for (const [name, fn] of [['snippet', (t: string) => makeSnippet(t, terms)], ['matches', (t: string) => findMatches(t, terms)], ['replace', (t: string) => t.replace(/\s+/g, ' ')], ['lower', (t: string) => t.toLowerCase()]] as const) {
  for (let w = 0; w < 2; w++) { const t0 = performance.now(); for (let i = 0; i < 2000; i++) for (const x of texts) fn(x); if (w) console.log(name, ((performance.now() - t0) / 2000).toFixed(4), 'ms per 50'); }
}
