import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { OpenOptions, StoreSource } from '../../src/core/adapters/adapter';
import { discoverSources, exportToFile, importSessions, openStore, planCleanup } from '../../src/core/catalog';
import { UnknownStoreError } from '../../src/core/scan/discover';
import { openReadOnly } from '../../src/core/sqlite/open';
import { readSchema } from '../../src/core/sqlite/schema';
import { MappingError, mappingFor, parseMapping } from '../../src/core/stores/sql-mapping/mapping';
import { suggestMapping } from '../../src/core/stores/sql-mapping/suggest';
import { SavedMappings } from '../../src/core/userdata/saved-mappings';
import { contract } from '../../src/shared/contract';
import { buildSessionTree } from '../../src/core/tree/session-tree';
import { SUPPORT_DESK_MAPPING, SUPPORT_DESK_TREE_MAPPING, buildSupportDesk } from '../fixtures/support-desk';
import { tempDir } from '../fixtures/tmp';

/** Any SQLite chat store through a column mapping, on a support desk's schema of our own. */

const opened: StoreSource[] = [];
afterEach(() => {
  while (opened.length) opened.pop()!.close();
});
function desk(): string {
  const d = buildSupportDesk({ dir: tempDir() });
  d.close();
  return d.path;
}
const mapped = (mapping: unknown): OpenOptions => ({ mappingFor: () => mapping });
function open(path: string, mapping: unknown): StoreSource {
  const s = openStore(path, mapped(mapping));
  opened.push(s);
  return s;
}

describe('a column mapping', () => {
  it('makes an unknown file readable: sessions from the sessions table and the ones only messages name, titles, times, roles', () => {
    const path = desk();
    expect(() => openStore(path)).toThrow(/a SQLite file in no layout Arbor knows. Its tables: ticket_messages\(id, ticket_id, author, body, sent_at\).*To read it, map its columns: Map columns… in the app, or --mapping FILE/);
    const source = open(path, SUPPORT_DESK_MAPPING);
    expect(source.format).toBe('sql-mapping');
    expect(source.describe()).toMatchObject({ label: 'SQLite (column mapping)', sessionCount: 3, warnings: [expect.objectContaining({ code: 'orphaned-messages' })] });
    const list = Object.fromEntries(source.listSessions().sessions.map((s) => [s.id, s]));
    expect(list['1']).toMatchObject({ title: 'Printer on floor 3 jams', messageCount: 3, status: 'ok', createdAt: Date.UTC(2025, 11, 29, 10), updatedAt: Date.UTC(2025, 11, 29, 11) });
    // No title column value: the first user message is the title.
    expect(list['2']).toMatchObject({ title: 'I cannot log in to the VPN.', messageCount: 5, createdAt: Date.UTC(2025, 11, 30, 9) });
    expect(list['3']).toMatchObject({ status: 'unindexed', messageCount: 1 });
    const printer = source.loadSession('1')!;
    expect(printer.messages.map((m) => [m.role, m.kind])).toEqual([
      ['user', 'customer'],
      ['assistant', 'agent'],
      ['user', 'customer'],
    ]);
    expect(printer.messages[0].timestamp).toBe(1_767_000_060_000);
    expect(printer.warnings).toEqual([]);
  });

  it('shows a NULL, a BLOB and a time that is no time as one warning per row, naming it; the rest shows', () => {
    const source = open(desk(), SUPPORT_DESK_MAPPING);
    const vpn = source.loadSession('2')!;
    expect(vpn.messages).toHaveLength(5);
    expect(vpn.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'assistant', 'assistant', 'user']);
    expect(vpn.warnings.map((w) => [w.code, w.rowId])).toEqual([
      ['bad-value', 6],
      ['bad-value', 7],
      ['bad-value', 8],
    ]);
    expect(vpn.warnings.map((w) => w.message)).toEqual([
      'Row 6 of ticket_messages (session "2"): body is NULL. The row is shown with what could be read.',
      'Row 7 of ticket_messages (session "2"): body is a BLOB of 4 bytes that is not text. The row is shown with what could be read.',
      'Row 8 of ticket_messages (session "2"): sent_at is "yesterday", not a time. The row is shown with what could be read.',
    ]);
    expect(vpn.messages[3].content).toEqual([{ type: 'unknown', raw: '(4 bytes of binary data)' }]);
  });

  it('reads a tree from id and parent columns: the edit is a fork', () => {
    const source = open(desk(), SUPPORT_DESK_TREE_MAPPING);
    expect(source.listSessions().sessions.map((s) => [s.id, s.title, s.messageCount])).toEqual([['7', 'My invoice is wrong.', 5]]);
    const t = buildSessionTree(source.loadSession('7')!);
    expect(t.index.forks.map((f) => t.index.nodes[f].id)).toEqual(['r2']);
    expect(t.index.nodes[t.activeLeaf].id).toBe('r4');
  });

  it('says which role values it does not map, once for the file', () => {
    const source = open(desk(), { ...SUPPORT_DESK_MAPPING, roles: { customer: 'user' } });
    expect(source.describe().warnings.find((w) => w.code === 'unmapped-roles')!.message).toBe(
      'The role column ticket_messages.author holds values the mapping does not name: "agent" (3 row(s)). They show as role "unknown"; add them to the mapping\'s "roles".',
    );
  });

  it('names a missing table or column with what the file has, and every problem of a malformed mapping', () => {
    const path = desk();
    const db = openReadOnly(path);
    const schema = readSchema(db);
    db.close();
    const problems = (m: unknown) => {
      try {
        mappingFor(m, schema);
      } catch (error) {
        return (error as MappingError).problems;
      }
      return [];
    };
    expect(problems({ messages: { table: 'messages', session: 'a', role: 'b', content: 'c' } })).toEqual([
      'messages.table: the file has no table "messages" (its tables: "ticket_messages", "ticket_replies", "tickets")',
    ]);
    expect(problems({ sessions: { table: 'tickets', id: 'ticket_id' }, messages: { ...SUPPORT_DESK_MAPPING.messages, role: 'sender' } })).toEqual([
      'messages.role: table "ticket_messages" has no column "sender" (its columns: "id", "ticket_id", "author", "body", "sent_at")',
      'sessions.id: table "tickets" has no column "ticket_id" (its columns: "id", "subject", "opened_at", "closed_at")',
    ]);
    expect(() => parseMapping({ messages: { table: 't', session: 's', role: 'r', content: 'c', parent: 'p', colour: 'x' }, roles: { bot: 'robot' }, extra: 1 })).toThrow(MappingError);
    try {
      parseMapping({ messages: { table: 't', session: 's', role: 'r', content: 'c', parent: 'p', colour: 'x' }, roles: { bot: 'robot' }, extra: 1 });
    } catch (error) {
      expect((error as MappingError).problems).toEqual([
        '"extra" is not a key of a mapping (it has "sessions", "messages", "roles")',
        'messages.colour is not a key of a mapping (messages has "table", "session", "role", "content", "order", "time", "id", "parent")',
        'roles["bot"] is "robot"; a role is one of "user", "assistant", "system", "tool"',
        'messages.parent needs messages.id: a parent names another message by its id',
      ]);
    }
    // A mapping that does not fit is not a layout for the file: it shows as unknown, to be mapped again.
    expect(() => openStore(path, mapped({ messages: { table: 'nope', session: 'a', role: 'b', content: 'c' } }))).toThrow(UnknownStoreError);
  });

  it('agrees with the API contract on the shape it accepts', () => {
    const schema = contract['mapping.preview'].args;
    for (const m of [SUPPORT_DESK_MAPPING, SUPPORT_DESK_TREE_MAPPING]) {
      expect(schema.safeParse({ path: '/x.db', mapping: m }).success).toBe(true);
      expect(() => parseMapping(m)).not.toThrow();
    }
    const wrong = { messages: { table: 't', session: 's', role: 'r', content: 'c', colour: 'x' } };
    expect(schema.safeParse({ path: '/x.db', mapping: wrong }).success).toBe(false);
    expect(() => parseMapping(wrong)).toThrow(MappingError);
  });

  it('guesses a first mapping from the names, for the dialog to start from', () => {
    const db = openReadOnly(desk());
    const guess = suggestMapping(readSchema(db));
    db.close();
    expect(guess).toEqual({
      sessions: { table: 'tickets', id: 'id', title: 'subject', created: 'opened_at', updated: 'closed_at' },
      messages: { table: 'ticket_replies', session: 'ticket_id', role: 'sender', content: 'text', time: 'created', id: 'msg_uuid', parent: 'reply_to' },
    });
  });

  it('is read-only: cleanup refuses, export and copy read through the mapping', async () => {
    const path = desk();
    const source = open(path, SUPPORT_DESK_MAPPING);
    expect(() => planCleanup(source, { kind: 'delete-sessions', sessionIds: ['1'] })).toThrow(/which Arbor only reads/);
    const dir = tempDir();
    const summary = await exportToFile([source], { format: 'md' }, join(dir, 'desk.md'));
    expect(summary.sessions).toBe(3);
    const report = await importSessions(path, { into: join(dir, 'copy'), layout: 'jsonl-tree', open: mapped(SUPPORT_DESK_MAPPING) });
    expect(report.added).toBe(3);
  });
});

describe('saved mappings', () => {
  it('are kept in the data folder by the real path, and open the file mapped by whichever path it is opened', () => {
    const path = desk();
    const data = tempDir();
    const saved = new SavedMappings(data);
    saved.set(path, SUPPORT_DESK_MAPPING);
    const link = join(tempDir(), 'desk-link.db');
    symlinkSync(path, link);
    // A second reader of the same folder (the next run of the app) sees it.
    const next = new SavedMappings(data);
    expect(next.get(link)).toEqual(SUPPORT_DESK_MAPPING);
    const found = discoverSources([link], { mappingFor: (p) => next.get(p) });
    opened.push(...found.sources);
    expect(found.sources.map((s) => s.format)).toEqual(['sql-mapping']);
    expect(next.remove(path)).toBe(true);
    expect(new SavedMappings(data).get(path)).toBeUndefined();
  });

  it('apply to a mapped file found while scanning a folder, and leave the others alone', () => {
    const root = tempDir();
    mkdirSync(join(root, 'a'));
    const d = buildSupportDesk({ dir: join(root, 'a') });
    d.close();
    const found = discoverSources([root], { mappingFor: (p) => (p === d.path ? SUPPORT_DESK_MAPPING : undefined) });
    opened.push(...found.sources);
    expect(found.sources.map((s) => s.format)).toEqual(['sql-mapping']);
    expect(found.warnings).toEqual([]);
  });
});
