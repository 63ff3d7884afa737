import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ArborService } from '../../src/core/service/arbor-service';
import { openWritable } from '../../src/core/sqlite/open';
import { JsonlTreeStore, msg } from '../fixtures/jsonl-tree';
import { createChatHistoryStore } from '../fixtures/sqlite-chat-history';

/**
 * Live stores with real files: the service's watcher (polling change tokens: a SQLite source's own
 * connection's data_version and the file's stat, a folder store's stat fingerprint) reports a source
 * whose store another program changed, and re-reading the open session takes in what was appended.
 */
const services: ArborService[] = [];
afterEach(() => {
  while (services.length) services.pop()!.closeAll();
});

function watching(): ArborService {
  const service = new ArborService({ info: { version: 'test', host: 'browser', canPickPaths: false }, watch: { intervalMs: 50 } });
  services.push(service);
  return service;
}

async function changeSeen(service: ArborService, sourceId: string, since: number): Promise<number> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const changes = await service.handlers['sources.changes']({ since });
    if (changes.changed.includes(sourceId)) return Date.now();
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no change reported for ${sourceId}`);
}

describe('live stores', () => {
  it('a line appended to a JSONL session is seen within a second and joins the open branch', async () => {
    const store = new JsonlTreeStore().session('s1', [msg('a', null, 'user'), msg('b', 'a', 'assistant')]);
    const service = watching();
    const { opened } = service.open([store.root]);
    const sourceId = opened[0].id;
    expect((await service.handlers['session.open']({ sourceId, sessionId: 's1' })).messageCount).toBe(2);
    const { version } = await service.handlers['sources.changes']({ since: 0 });

    const appended = Date.now();
    store.appendLine('s1', JSON.stringify(msg('c', 'b', 'user')));
    const seen = await changeSeen(service, sourceId, version);
    expect(seen - appended).toBeLessThan(1000);

    const overview = await service.handlers['session.open']({ sourceId, sessionId: 's1' });
    expect(overview.messageCount).toBe(3);
    const path = await service.handlers['session.activate']({ sourceId, sessionId: 's1', messageId: null });
    expect(path.messages.map((m) => m.id)).toEqual(['a', 'b', 'c']);
  });

  it('a held sources.changes call (waitMs) answers as soon as the append is seen, and at once when the caller gives up', async () => {
    const store = new JsonlTreeStore().session('s1', [msg('a', null, 'user')]);
    const service = watching();
    const sourceId = service.open([store.root]).opened[0].id;
    const { version } = await service.handlers['sources.changes']({ since: 0 });

    const held = service.handlers['sources.changes']({ since: version, waitMs: 10_000 });
    await new Promise((r) => setTimeout(r, 150));
    const appended = Date.now();
    store.appendLine('s1', JSON.stringify(msg('b', 'a', 'assistant')));
    const answer = await held;
    expect(answer.changed).toEqual([sourceId]);
    expect(answer.version).toBeGreaterThan(version);
    expect(Date.now() - appended).toBeLessThan(500);

    // Nothing changes: the caller that gives up is answered with nothing new, long before its wait.
    const abort = new AbortController();
    const started = Date.now();
    const waiting = service.handlers['sources.changes']({ since: answer.version, waitMs: 10_000 }, abort.signal);
    setTimeout(() => abort.abort(), 100);
    expect((await waiting).changed).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a session deleted by another program is reported, and opening it says not-found', async () => {
    const store = new JsonlTreeStore().session('s1', [msg('a', null, 'user')]).session('s2', [msg('x', null, 'user')]);
    const service = watching();
    const sourceId = service.open([store.root]).opened[0].id;
    await service.handlers['session.open']({ sourceId, sessionId: 's2' });
    delete store.index.sessions.s2;
    store.saveIndex();
    rmSync(join(store.root, 's2'), { recursive: true });
    await changeSeen(service, sourceId, (await service.handlers['sources.changes']({ since: 0 })).version);
    await expect(Promise.resolve().then(() => service.handlers['session.open']({ sourceId, sessionId: 's2' }))).rejects.toMatchObject({ code: 'not-found' });
    expect((await service.handlers['sessions.list']({ sourceId })).sessions.map((s) => s.id)).toEqual(['s1']);
  });

  for (const mode of ['wal', 'delete'] as const) {
    it(`a row inserted into a SQLite store in ${mode === 'wal' ? 'WAL' : 'rollback-journal'} mode is seen through data_version`, async () => {
      const store = createChatHistoryStore();
      store.db.pragma(`journal_mode = ${mode}`);
      store.addSession({ id: 'chat' }, [
        { role: 'user', content: 'hello' },
        { role: 'assistant', content: 'hi' },
      ]);
      // In WAL mode the backend keeps its connection (its -wal beside the file); in rollback mode it closes between writes.
      if (mode === 'delete') store.close();
      const service = watching();
      const sourceId = service.open([store.path]).opened[0].id;
      expect((await service.handlers['session.open']({ sourceId, sessionId: 'chat' })).messageCount).toBe(2);
      const { version } = await service.handlers['sources.changes']({ since: 0 });
      const mtime = statSync(store.path).mtimeMs;

      // A few quiet ticks: nothing is reported, and the watcher wrote nothing.
      await new Promise((r) => setTimeout(r, 250));
      expect((await service.handlers['sources.changes']({ since: version })).changed).toEqual([]);
      expect(statSync(store.path).mtimeMs).toBe(mtime);
      if (mode === 'delete') expect(existsSync(`${store.path}-wal`) || existsSync(`${store.path}-journal`)).toBe(false);

      const writer = mode === 'wal' ? store.db : openWritable(store.path, { mustExist: true });
      writer.prepare("INSERT INTO chat_history (session_id, role, content, timestamp) VALUES ('chat', 'user', 'one more', CURRENT_TIMESTAMP)").run();
      const appended = Date.now();
      const seen = await changeSeen(service, sourceId, version);
      expect(seen - appended).toBeLessThan(1000);
      expect((await service.handlers['session.open']({ sourceId, sessionId: 'chat' })).messageCount).toBe(3);
      if (mode === 'delete') writer.close();
      else store.close();
    });
  }
});
