import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoreSource } from '../../src/core/adapters/adapter';
import { openStore } from '../../src/core/catalog';
import { plainText } from '../../src/core/model/content';
import { buildSessionTree } from '../../src/core/tree/session-tree';
import { SAMPLE_JSON, SAMPLE_ROWS, chatJson, message } from '../fixtures/open-webui';
import { tempDir } from '../fixtures/tmp';

/** Open WebUI's exported JSON: the real sample (one bare chat object), Open WebUI's row lists, and broken files. */

const opened: StoreSource[] = [];
afterEach(() => {
  while (opened.length) opened.pop()!.close();
});
function fileWith(content: string, name = 'export.json'): StoreSource {
  const path = join(tempDir(), name);
  writeFileSync(path, content);
  const s = openStore(path);
  opened.push(s);
  return s;
}

/** The sample db's one row, as Open WebUI's "Export All Chats" writes rows: `chat` an object, times in seconds. */
function exportedRows(): unknown[] {
  const rows = JSON.parse(readFileSync(SAMPLE_ROWS, 'utf8')) as Array<Record<string, unknown>>;
  return rows.map((r) => ({ ...r, chat: JSON.parse(r.chat as string), meta: JSON.parse(r.meta as string), pinned: r.pinned === 1, archived: r.archived === 1 }));
}

describe('Open WebUI exported JSON', () => {
  it('reads the sample, a bare chat object with an empty id, by its content', () => {
    const path = join(tempDir(), 'download (3).txt');
    copyFileSync(SAMPLE_JSON, path);
    const source = openStore(path);
    opened.push(source);
    expect(source.format).toBe('open-webui-export');
    expect(source.describe()).toMatchObject({ label: 'Open WebUI export (JSON)', sessionCount: 1, warnings: [] });
    const [chat] = source.listSessions().sessions;
    expect(chat).toMatchObject({ id: 'chat-1', title: '🧠 Goldwater Rule Ethics', messageCount: 2, createdAt: 1_744_577_557_127, status: 'ok' });
    const t = buildSessionTree(source.loadSession('chat-1')!);
    expect(t.index.nodes[t.activeLeaf].id).toBe('a9436447-add3-4bd8-a25f-6ce54b73903c');
    expect(t.index.nodes[1].model).toBe('DeepSeek: DeepSeek V3 (free)');
    // The sample's text carries SQL-doubled quotes from the tool that made it: shown as stored.
    expect(plainText(t.index.nodes[0].content)).toContain("can''t diagnose");
  });

  it("reads Open WebUI's own export, a list of chat rows, with the row's owner, times, pins and tags", () => {
    const source = fileWith(JSON.stringify(exportedRows()));
    const [chat] = source.listSessions().sessions;
    expect(chat).toMatchObject({
      id: '1e73212a-0a1d-4108-a08b-3ba00056dd94',
      title: '👋 Hi There!',
      createdAt: 1_753_453_135_000,
      updatedAt: 1_753_453_281_000,
      badges: ['#general'],
      fields: { user: 'b7ea82c3-4414-4bf1-b6cf-2ce6fde496ad' },
    });
    const t = buildSessionTree(source.loadSession(chat.id)!);
    expect(t.index.forks).toHaveLength(1);
    expect(t.index.nodes[t.activeLeaf].id).toBe('4f7dce0d-81f6-42b6-96be-add04438c43c');
  });

  it('reads a list of bare chats, names duplicates apart, and says which items are no chat', () => {
    const a = chatJson([message('1', null, 'user', 'first chat')], { title: 'A' });
    const b = { ...chatJson([message('1', null, 'user', 'second chat')], { title: 'B' }), id: 'same' };
    const c = { ...chatJson([message('1', null, 'user', 'third chat')], { title: 'C' }), id: 'same' };
    const source = fileWith(JSON.stringify([a, b, { hello: 'world' }, c]));
    expect(source.listSessions({ sort: 'id', direction: 'asc' }).sessions.map((s) => [s.id, s.title])).toEqual([
      ['chat-1', 'A'],
      ['same', 'B'],
      ['same#4', 'C'],
    ]);
    expect(source.describe().warnings.map((w) => w.code).sort()).toEqual(['duplicate-id', 'not-a-chat']);
  });

  it('opens a half-downloaded export with the chats complete before the cut, and one clear warning', () => {
    const rows = exportedRows();
    const three = [rows[0], { ...(rows[0] as object), id: 'second' }, { ...(rows[0] as object), id: 'third' }];
    const whole = JSON.stringify(three);
    const source = fileWith(whole.slice(0, Math.floor(whole.length * 0.8)));
    expect(source.listSessions({ sort: 'id', direction: 'asc' }).sessions.map((s) => s.id)).toEqual(['1e73212a-0a1d-4108-a08b-3ba00056dd94', 'second']);
    expect(source.describe().warnings).toEqual([expect.objectContaining({ code: 'truncated-file', message: expect.stringMatching(/ends before its JSON does .*The 2 chat\(s\) complete before byte \d+ are shown/) })]);

    const single = JSON.stringify(rows[0]);
    const cut = fileWith(single.slice(0, single.length / 2), 'one.json');
    expect(cut.describe().sessionCount).toBe(0);
    expect(cut.describe().warnings).toEqual([expect.objectContaining({ code: 'unreadable-file', message: expect.stringMatching(/is not valid JSON .*a half-downloaded export\? Nothing in it can be shown/) })]);
  });

  it('is not taken for a JSON file of another kind', () => {
    const path = join(tempDir(), 'conversations.json');
    writeFileSync(path, JSON.stringify([{ title: 'x', mapping: { a: { id: 'a', message: null, parent: null, children: [] } }, current_node: 'a' }]));
    // A ChatGPT export: the ChatGPT layout's, never Open WebUI's.
    const source = openStore(path);
    expect(source.format).toBe('chatgpt-export');
    source.close();
  });
});
