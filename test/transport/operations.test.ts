import { readFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildDemoStores } from '../../scripts/demo/build-demo-stores';
import { startArborServer } from '../../src/cli/serve/http-server';
import { ArborService } from '../../src/core/service/arbor-service';
import { tempDir } from '../fixtures/tmp';

/** Cleanup, trash, export and import as the browser-mode UI calls them: over HTTP, end to end. */
let server: Server | null = null;
afterEach(() => {
  server?.close();
  server = null;
});

async function start() {
  const dir = tempDir('arbor-ops-');
  buildDemoStores(join(dir, 'stores'), { hostile: true });
  const service = new ArborService({ info: { version: 't', host: 'browser', canPickPaths: false }, trashDir: join(dir, 'trash') });
  service.open([join(dir, 'stores')]);
  const token = 'ops-token';
  const started = await startArborServer({
    handlers: service.handlers,
    downloads: { take: (id) => service.takeDownload(id), peek: (id) => service.peekDownload(id) },
    rendererDir: join(dir, 'stores'),
    token,
    port: 0,
  });
  server = started.server;
  const raw = (path: string, method: string, body?: unknown, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: started.port, path, method, headers: { 'content-type': 'application/json', 'x-arbor-token': token, ...headers } }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
      });
      req.on('error', reject);
      if (body !== undefined) req.write(JSON.stringify(body));
      req.end();
    });
  const call = async (method: string, args: unknown) => {
    const res = await raw(`/api/${method}`, 'POST', args);
    const parsed = JSON.parse(res.body);
    if (parsed.error) throw new Error(`${parsed.error.code}: ${parsed.error.message}`);
    return parsed.result;
  };
  const sources = (await call('sources.list', {})) as Array<{ id: string; format: string; path: string }>;
  const sourceOf = (format: string) => sources.find((s) => s.format === format)!;
  // The page's first load (with the token in the URL) gets the assets cookie that downloads need.
  const cookie = String((await raw(`/?token=${token}`, 'GET')).headers['set-cookie']).split(';')[0];
  return { dir, call, raw, sourceOf, token, cookie };
}

const ids = (page: { sessions: Array<{ id: string }> }) => page.sessions.map((s) => s.id).sort();

describe('operations over the API', () => {
  it('describes every layout and gives every source its layout\'s capabilities, so the UI never guesses from a name', async () => {
    const { call, sourceOf } = await start();
    const layouts = (await call('layouts.list', {})) as Array<{ format: string; capabilities: { history: string; readOnly: boolean; importTarget: boolean; cleanups: string[] }; takesTenant: boolean; storage: string }>;
    const tree = layouts.find((l) => l.format === 'jsonl-tree')!;
    expect(tree).toMatchObject({ storage: 'files', takesTenant: false, capabilities: { history: 'tree', readOnly: false, importTarget: true } });
    expect(layouts.find((l) => l.format === 'sqlite-tenant-messages')).toMatchObject({ storage: 'sqlite', takesTenant: true, capabilities: { history: 'linear' } });
    const source = sourceOf('sqlite-json-history') as unknown as { capabilities: { cleanups: string[]; history: string } };
    expect(source.capabilities.history).toBe('linear');
    expect(source.capabilities.cleanups).toContain('expired');
    expect(await call('cleanup.operations', { sourceId: sourceOf('sqlite-json-history').id })).toEqual(source.capabilities.cleanups);
  });

  it('previews, applies and undoes a cleanup, with the backup listed in the trash', async () => {
    const { call, sourceOf } = await start();
    const history = sourceOf('sqlite-json-history');
    expect(await call('cleanup.operations', { sourceId: history.id })).toContain('expired');
    const preview = await call('cleanup.plan', { sourceId: history.id, operation: { kind: 'expired' } });
    expect(preview.plan.items.map((i: { sessionId: string }) => i.sessionId)).toEqual(['session-animation']);
    const result = await call('cleanup.apply', { planId: preview.planId, operationId: 'op1' });
    expect(result).toMatchObject({ sessionsDeleted: 1, messagesDeleted: 2 });
    expect(ids(await call('sessions.list', { sourceId: history.id }))).not.toContain('session-animation');
    // A plan is applied once: a second apply is refused instead of deleting again.
    await expect(call('cleanup.apply', { planId: preview.planId })).rejects.toThrow(/not-found/);
    const trash = await call('trash.list', {});
    expect(trash.map((t: { id: string }) => t.id)).toContain(result.backup);
    await call('trash.restore', { id: result.backup });
    expect(ids(await call('sessions.list', { sourceId: history.id }))).toContain('session-animation');
  });

  it('prunes a branch of a JSONL tree and shows the tree without it', async () => {
    const { call, sourceOf } = await start();
    const tree = sourceOf('jsonl-tree');
    const ref = { sourceId: tree.id, sessionId: 'git-rebase' };
    await call('session.open', ref);
    // The active branch (… q1b → a5) is protected unless the user confirms.
    await expect(call('cleanup.plan', { sourceId: tree.id, operation: { kind: 'prune', sessionId: 'git-rebase', messageId: 'q1b', mode: 'subtree' } })).rejects.toThrow(/active path/);
    const preview = await call('cleanup.plan', { sourceId: tree.id, operation: { kind: 'prune', sessionId: 'git-rebase', messageId: 'q1', mode: 'subtree' } });
    expect(preview.plan.totals.messages).toBe(5);
    await call('cleanup.apply', { planId: preview.planId });
    const overview = await call('session.open', ref);
    expect(overview.leaves.map((l: { id: string }) => l.id).sort()).toEqual(['a4', 'a5']);
  });

  it('exports a session as a one-time download in browser mode, and refuses server paths', async () => {
    const { call, raw, sourceOf, cookie } = await start();
    const tree = sourceOf('jsonl-tree');
    await expect(call('export.run', { sourceId: tree.id, sessionIds: ['hostile'], format: 'html', destination: '/tmp/x.html' })).rejects.toThrow(/unsupported/);
    const done = await call('export.run', { sourceId: tree.id, sessionIds: ['hostile'], format: 'html', destination: null, operationId: 'exp' });
    expect(done).toMatchObject({ path: null, sessions: 1, messages: 2, fileName: 'hostile.html' });
    const noCookie = await raw(`/download/${done.downloadId}`, 'GET');
    expect(noCookie.status).toBe(401);
    const file = await raw(`/download/${done.downloadId}`, 'GET', undefined, { cookie });
    expect(file.status).toBe(200);
    expect(file.headers['content-disposition']).toBe('attachment; filename="hostile.html"');
    expect(file.body).toContain('&lt;script&gt;window.__arborPwned');
    expect(file.body).not.toMatch(/<script/i);
    const again = await raw(`/download/${done.downloadId}`, 'GET', undefined, { cookie });
    expect(again.status).toBe(404);
  });

  it('stages an uploaded export, previews what is lost, imports it into another layout', async () => {
    const { call, raw, sourceOf, dir, cookie } = await start();
    const tree = sourceOf('jsonl-tree');
    const done = await call('export.run', { sourceId: tree.id, sessionIds: ['git-rebase'], format: 'jsonl', destination: null });
    const content = (await raw(`/download/${done.downloadId}`, 'GET', undefined, { cookie })).body;
    const staged = await call('import.stage', { name: 'git-rebase.arbor.jsonl', content });
    const tenant = sourceOf('sqlite-tenant-messages');
    const preview = await call('import.preview', { input: { path: staged.path }, target: { sourceId: tenant.id }, onConflict: 'skip', tree: 'leaves', tenant: 'acme' });
    expect(preview.report).toMatchObject({ added: 4, dryRun: true });
    expect(preview.report.lost.join(' ')).toMatch(/branch|message ids|tool/i);
    expect(ids(await call('sessions.list', { sourceId: tenant.id }))).not.toContain('git-rebase');
    const report = await call('import.apply', { previewId: preview.previewId });
    expect(report.added).toBe(4);
    const after = await call('sessions.list', { sourceId: tenant.id, fields: { tenant: 'acme' } });
    expect(ids(after).filter((id) => id.startsWith('git-rebase'))).toHaveLength(4);
    // Into a new store of another layout, created by the import and opened as a source.
    const newPath = join(dir, 'new-chat-history.db');
    const created = await call('import.preview', { input: { sourceId: tree.id, sessionIds: ['sql-help'] }, target: { path: newPath, layout: 'sqlite-chat-history' }, onConflict: 'skip', tree: 'active' });
    await call('import.apply', { previewId: created.previewId });
    const opened = (await call('sources.list', {})) as Array<{ id: string; path: string }>;
    const fresh = opened.find((s) => s.path === newPath)!;
    expect(ids(await call('sessions.list', { sourceId: fresh.id }))).toEqual(['sql-help']);
    expect(readFileSync(newPath).subarray(0, 15).toString()).toBe('SQLite format 3');
  });

  it('rejects a malformed import file with its line and writes nothing', async () => {
    const { call, raw, sourceOf, cookie } = await start();
    const done = await call('export.run', { sourceId: sourceOf('jsonl-tree').id, sessionIds: ['git-rebase'], format: 'jsonl', destination: null });
    const lines = (await raw(`/download/${done.downloadId}`, 'GET', undefined, { cookie })).body.split('\n');
    lines[1] = '{not json';
    const staged = await call('import.stage', { name: 'bad.jsonl', content: lines.join('\n') });
    const tenant = sourceOf('sqlite-tenant-messages');
    const before = ids(await call('sessions.list', { sourceId: tenant.id }));
    await expect(call('import.preview', { input: { path: staged.path }, target: { sourceId: tenant.id }, onConflict: 'skip', tree: 'active' })).rejects.toThrow(/line 2/i);
    expect(ids(await call('sessions.list', { sourceId: tenant.id }))).toEqual(before);
  });

  it('pages a value of a message, checking the path and the page size at the edge', async () => {
    const { call, sourceOf } = await start();
    const tree = sourceOf('jsonl-tree');
    const ref = { sourceId: tree.id, sessionId: 'disk-usage' };
    await call('session.open', ref);
    const details = await call('message.details', { ...ref, messageId: 'c1' });
    expect(details.raw).toMatchObject({ type: 'object', entries: expect.arrayContaining([['toolCalls', expect.objectContaining({ type: 'array', length: 1 })]]) });
    const command = await call('message.value', { ...ref, messageId: 'c1', path: ['raw', 'toolCalls', 0, 'arguments', 'command'], offset: 3, limit: 3 });
    expect(command).toEqual({ type: 'string', value: '-sh', length: 'du -sh /var/* | sort -h | tail -3'.length, from: 3 });
    await expect(call('message.value', { ...ref, messageId: 'c1', path: ['raw', { key: 'x' }], offset: 0, limit: 1 })).rejects.toThrow(/invalid-arguments/);
    await expect(call('message.value', { ...ref, messageId: 'c1', path: ['raw'], offset: 0, limit: 0 })).rejects.toThrow(/invalid-arguments/);
    await expect(call('message.value', { ...ref, messageId: 'c1', path: [], offset: 0, limit: 1 })).rejects.toThrow(/invalid-arguments/);
    await expect(call('message.value', { ...ref, messageId: 'c1', path: ['raw', 'nope'], offset: 0, limit: 1 })).rejects.toThrow(/not-found/);
  });
});
