import { createWriteStream, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { openStore } from '../src/core/catalog';
import { openReadOnly } from '../src/core/sqlite/open';
import { exportSessions } from '../src/core/catalog';
import { gc, heapUsedMb, type Row } from './measure';

/**
 * Export throughput on the 1M-message seed-002 store (issue 4), next to its floor: the same rows read
 * with one bare query in the order the export needs them (by session, then id). Measured, not judged:
 * one run each (a full pass takes seconds), after a warm-up read of the file so the page cache is hot
 * for both. The export writes Arbor JSON lines; once to a sink that discards (CPU), once to a file.
 */

/** Rows as the bench prints them (bench/measure.ts). */
export type ExportRow = Row;

export async function exportRows(storePath: string, scratchDir: string, messages: number): Promise<ExportRow[]> {
  const db = openReadOnly(storePath);
  const bare = db.prepare('SELECT session_id, id, role, content, timestamp, metadata FROM chat_history ORDER BY session_id, id');
  const readAll = () => {
    let n = 0;
    for (const row of bare.iterate()) if (row) n++;
    return n;
  };
  readAll();
  const f0 = performance.now();
  const read = readAll();
  const floor = performance.now() - f0;
  db.close();

  const rate = (ms: number) => `${Math.round((messages / ms) * 1000).toLocaleString('en')} msg/s`;
  const rows: ExportRow[] = [{ figure: `floor: bare query over ${read.toLocaleString('en')} chat_history rows, by session (${rate(floor)})`, ms: floor, floorMs: null, ratio: null, target: '-', met: true }];

  // To a sink that discards: the export's own work. Heap is sampled as it goes: it must stay flat.
  gc();
  const heapBefore = heapUsedMb();
  let peak = 0;
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  let source = openStore(storePath);
  const t0 = performance.now();
  const summary = await exportSessions([source], {
    format: 'jsonl',
    onProgress: (p) => {
      if (p.done % 250 === 0) peak = Math.max(peak, heapUsedMb() - heapBefore);
    },
  }, discard);
  const ours = performance.now() - t0;
  source.close();
  rows.push({ figure: `export ${summary.messages.toLocaleString('en')} messages (${summary.sessions.toLocaleString('en')} sessions) to JSON lines, output discarded (${rate(ours)})`, ms: ours, floorMs: floor, ratio: ours / floor, target: 'measured', met: true });
  rows.push({ figure: 'heap growth while exporting (MB, sampled, before GC)', ms: peak, floorMs: null, ratio: null, target: '≤ 150 MB (streams)', met: peak <= 150 });

  // To a real file: what `arbor export --out` costs on this disk.
  const file = join(scratchDir, 'export-bench.jsonl');
  source = openStore(storePath);
  const out = createWriteStream(file);
  const t1 = performance.now();
  await exportSessions([source], { format: 'jsonl' }, out);
  out.end();
  await finished(out);
  const toFile = performance.now() - t1;
  source.close();
  rmSync(file, { force: true });
  rows.push({ figure: `the same export written to a file (${rate(toFile)})`, ms: toFile, floorMs: floor, ratio: toFile / floor, target: 'measured', met: true });
  return rows;
}
