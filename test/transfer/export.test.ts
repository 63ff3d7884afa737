import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoStores } from '../../scripts/demo/build-demo-stores';
import { discoverSources, openStore } from '../../src/core/catalog';
import { exportSessions } from '../../src/core/catalog';
import { type ExportProgress } from '../../src/core/transfer/export/export';
import { createChatHistoryStore } from '../fixtures/sqlite-chat-history';
import { exportStore, NOW, readExport } from './helpers';

/** Export as a stream: session by session, with progress, of a selection, a store or many stores. */

let shared: string;
beforeAll(() => {
  shared = mkdtempSync(join(tmpdir(), 'arbor-export-'));
});
afterAll(() => rmSync(shared, { recursive: true, force: true }));

/** A writable that remembers, for every chunk it receives, how far the export had got. */
class Recorder extends Writable {
  chunks: Array<{ bytes: number; doneAtWrite: number }> = [];
  done = 0;
  constructor() {
    super({ highWaterMark: 64 * 1024 });
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.chunks.push({ bytes: chunk.length, doneAtWrite: this.done });
    // A slow disk: backpressure must hold the export back, not fill memory.
    setImmediate(callback);
  }
}

describe('exportSessions', () => {
  it('streams a large source session by session with progress, never the whole store at once', async () => {
    const store = createChatHistoryStore({ dir: shared, name: 'big.db' });
    const sessions = 2000;
    const perSession = 50;
    store.db.transaction(() => {
      for (let s = 0; s < sessions; s++) {
        const messages = Array.from({ length: perSession }, (_, m) => ({ role: m % 2 ? 'assistant' : 'user', content: `session ${s} message ${m} ${'x'.repeat(60)}`, timestamp: '2026-01-01 00:00:00' }));
        store.addSession({ id: `s${String(s).padStart(5, '0')}` }, messages);
      }
    })();
    store.close();
    const source = openStore(store.path);
    const out = new Recorder();
    const progress: ExportProgress[] = [];
    const summary = await exportSessions([source], { format: 'jsonl', onProgress: (p) => {
      progress.push(p);
      out.done = p.done;
    } }, out);
    source.close();
    expect(summary).toEqual({ sessions, messages: sessions * perSession });
    expect(progress).toHaveLength(sessions);
    expect(progress.at(-1)).toEqual({ done: sessions, total: sessions, messages: sessions * perSession });
    // Output began long before the last session was read, in many chunks.
    expect(out.chunks.length).toBeGreaterThan(20);
    expect(out.chunks[0].doneAtWrite).toBeLessThan(sessions / 10);
  });

  it('exports a selection, in the order given, and refuses an id no source holds before writing', async () => {
    const stores = buildDemoStores(join(shared, 'demo'));
    const file = join(shared, 'selection.jsonl');
    await exportStore(stores['sqlite-tenant-messages'], file, { sessionIds: ['globex-2', 'acme-1'] });
    expect(readExport(file).map((s) => s.id)).toEqual(['globex-2', 'acme-1']);
    const source = openStore(stores['sqlite-tenant-messages']);
    const out = new Recorder();
    await expect(exportSessions([source], { format: 'jsonl', sessionIds: ['acme-1', 'nope'] }, out)).rejects.toThrow(/no session "nope"/);
    source.close();
    expect(out.chunks).toEqual([]);
  });

  it('exports every store of a folder into one file, each session saying where it came from', async () => {
    const stores = buildDemoStores(join(shared, 'many'));
    const found = discoverSources([join(shared, 'many')]);
    const file = join(shared, 'many.jsonl');
    const out = createWriteStream(file);
    await exportSessions(found.sources, { format: 'jsonl', now: NOW }, out);
    out.end();
    await finished(out);
    for (const s of found.sources) s.close();
    const formats = new Set(readExport(file).map((s) => s.source.format));
    expect([...formats].sort()).toEqual(Object.keys(stores).sort());
  });
});
