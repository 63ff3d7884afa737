import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArborService } from '../../src/core/service/arbor-service';
import { dispatch } from '../../src/shared/dispatch';
import type { ArgsOf, MethodName, ResultOf } from '../../src/shared/contract';
import { SUPPORT_DESK_MAPPING, buildSupportDesk } from '../fixtures/support-desk';
import { tempDir } from '../fixtures/tmp';

/** "Map columns…" as the app calls it: through the contract's edge, on a support desk's file. */

function service(dataDir: string) {
  const s = new ArborService({ info: { version: 't', host: 'browser', canPickPaths: false }, dataDir, trashDir: join(dataDir, 'trash') });
  const call = <M extends MethodName>(method: M, args: ArgsOf<M>) => dispatch(s.handlers, method, args) as Promise<ResultOf<M>>;
  return { s, call };
}

describe('the mapping calls', () => {
  it('turn an unknown SQLite file from a warning into a source the next run opens mapped', async () => {
    const dir = tempDir();
    const desk = buildSupportDesk({ dir });
    desk.close();
    const data = join(dir, 'data');
    const { s, call } = service(data);

    // Opened like any path: not an error, a warning that names the file, which the app offers to map.
    const opened = await call('sources.open', { paths: [desk.path] });
    expect(opened.opened).toEqual([]);
    expect(opened.warnings).toEqual([expect.objectContaining({ code: 'unknown-sqlite', file: desk.path, message: expect.stringMatching(/Map columns…/) })]);

    const inspection = await call('mapping.inspect', { path: desk.path });
    expect(inspection.tables.map((t) => [t.name, t.rows])).toEqual([
      ['ticket_messages', 9],
      ['ticket_replies', 5],
      ['tickets', 2],
    ]);
    expect(inspection.tables[0].columns[0]).toEqual({ name: 'id', type: 'INTEGER' });
    expect(inspection.saved).toBeNull();
    expect(inspection.suggested?.messages.table).toBe('ticket_replies');

    const wrong = await call('mapping.preview', { path: desk.path, mapping: { messages: { ...SUPPORT_DESK_MAPPING.messages, content: 'text' } } });
    expect(wrong.problems).toEqual(['messages.content: table "ticket_messages" has no column "text" (its columns: "id", "ticket_id", "author", "body", "sent_at")']);

    const unmapped = await call('mapping.preview', { path: desk.path, mapping: { sessions: SUPPORT_DESK_MAPPING.sessions, messages: SUPPORT_DESK_MAPPING.messages } });
    expect(unmapped.roleValues).toEqual([
      { value: 'customer', count: 5, role: 'unknown' },
      { value: 'agent', count: 3, role: 'unknown' },
      { value: 'bot', count: 1, role: 'assistant' },
    ]);
    const preview = await call('mapping.preview', { path: desk.path, mapping: SUPPORT_DESK_MAPPING });
    expect(preview.problems).toEqual([]);
    expect(preview.sessionCount).toBe(3);
    // Newest first: the VPN ticket, opened last; its NULL and BLOB turns are shown and said.
    expect(preview.sessions.map((x) => [x.id, x.title, x.messageCount])).toEqual([
      ['2', 'I cannot log in to the VPN.', 5],
      ['1', 'Printer on floor 3 jams', 3],
      ['3', 'A message whose ticket row is gone.', 1],
    ]);
    expect(preview.messages.map((m) => [m.role, m.kind, m.text])).toEqual([
      ['user', 'customer', 'I cannot log in to the VPN.'],
      ['assistant', 'bot', 'I opened ticket #2 for you.'],
      ['assistant', 'agent', ''],
      ['assistant', 'agent', '(unknown)'],
      ['user', 'customer', 'Still down.'],
    ]);
    expect(preview.warnings.map((w) => w.code)).toEqual(['orphaned-messages', 'bad-value', 'bad-value', 'bad-value']);

    await expect(call('mapping.save', { path: desk.path, mapping: { messages: { ...SUPPORT_DESK_MAPPING.messages, table: 'nope' } } })).rejects.toThrow(/The mapping does not fit .*no table "nope"/);
    await expect(call('mapping.save', { path: desk.path, mapping: { messages: { table: 'x' } } as never })).rejects.toThrow(/invalid-arguments|mapping.messages.session/);
    const saved = await call('mapping.save', { path: desk.path, mapping: SUPPORT_DESK_MAPPING });
    expect(saved.opened).toEqual([expect.objectContaining({ format: 'sql-mapping', path: desk.path, sessionCount: 3, capabilities: expect.objectContaining({ readOnly: true }) })]);
    const page = await call('sessions.list', { sourceId: saved.opened[0].id });
    expect(page.sessions.map((x) => x.title)).toContain('Printer on floor 3 jams');

    // A copy to another store reads it through its mapping, as the app shows it.
    const copy = await call('import.preview', { input: { sourceId: saved.opened[0].id, sessionIds: null }, target: { path: join(dir, 'copy'), layout: 'jsonl-tree' }, onConflict: 'skip', tree: 'active' });
    expect(copy.report.added).toBe(3);
    s.closeAll();

    const next = service(data);
    const again = await next.call('sources.open', { paths: [dir] });
    expect(again.warnings).toEqual([]);
    expect(again.opened.map((o) => o.format)).toEqual(['sql-mapping']);
    expect((await next.call('mapping.inspect', { path: desk.path })).saved).toEqual(SUPPORT_DESK_MAPPING);
    next.s.closeAll();
  });

  it('refuse what is not a SQLite file', async () => {
    const dir = tempDir();
    const { call } = service(join(dir, 'data'));
    const text = join(dir, 'notes.txt');
    (await import('node:fs')).writeFileSync(text, 'hello, this is not a database at all, not even close');
    await expect(call('mapping.inspect', { path: text })).rejects.toThrow(/not a SQLite file; only SQLite files can be mapped/);
    await expect(call('mapping.inspect', { path: join(dir, 'missing.db') })).rejects.toThrow(/no such file/);
  });
});
