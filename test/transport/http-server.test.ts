import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildDemoStores } from '../../scripts/demo/build-demo-stores';
import { startArborServer } from '../../src/cli/serve/http-server';
import { ArborService } from '../../src/core/service/arbor-service';
import { tempDir } from '../fixtures/tmp';

/** The browser-mode transport, on a real loopback socket. */
let server: Server | null = null;
afterEach(() => {
  server?.close();
  server = null;
});

async function start() {
  const dir = tempDir('arbor-http-');
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Arbor</title>');
  writeFileSync(join(dir, 'secret.txt'), 'outside the renderer');
  const paths = buildDemoStores(join(dir, 'stores'));
  const service = new ArborService({ info: { version: 'test', host: 'browser', canPickPaths: false } });
  service.open([join(dir, 'stores')]);
  const token = 'test-token-123';
  const started = await startArborServer({ handlers: service.handlers, rendererDir, token, port: 0 });
  server = started.server;
  return { ...started, token, paths };
}

function send(port: number, path: string, options: { method?: string; headers?: Record<string, string>; body?: unknown } = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(typeof options.body === 'string' ? options.body : JSON.stringify(options.body));
    req.end();
  });
}

const api = (port: number, method: string, args: unknown, token: string, headers: Record<string, string> = {}) =>
  send(port, `/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-arbor-token': token, ...headers }, body: args });

describe('arbor serve transport', () => {
  it('prints a loopback URL that carries the token', async () => {
    const { url, token, port } = await start();
    expect(url).toBe(`http://127.0.0.1:${port}/?token=${token}`);
  });

  it('refuses requests without the token with 401', async () => {
    const { port } = await start();
    expect((await send(port, '/')).status).toBe(401);
    expect((await api(port, 'sources.list', {}, 'wrong-token-xx')).status).toBe(401);
    expect((await send(port, '/api/sources.list', { method: 'POST', body: {} })).status).toBe(401);
  });

  it('serves the page with the token and sets a strict cookie for its assets', async () => {
    const { port, token } = await start();
    const page = await send(port, `/?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<title>Arbor/);
    expect(String(page.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    const cookie = String(page.headers['set-cookie']).split(';')[0];
    const again = await send(port, '/index.html', { headers: { cookie } });
    expect(again.status).toBe(200);
  });

  it('answers only to loopback Host headers (no DNS rebinding)', async () => {
    const { port, token } = await start();
    const res = await api(port, 'sources.list', {}, token, { host: 'evil.example:80' });
    expect(res.status).toBe(403);
  });

  it('never serves files outside the renderer folder', async () => {
    const { port, token } = await start();
    const res = await send(port, `/..%2fsecret.txt?token=${token}`);
    expect(res.status).toBe(404);
    expect(res.body).not.toMatch(/outside the renderer/);
  });

  it('carries contract calls and validates their arguments at the edge', async () => {
    const { port, token } = await start();
    const sources = JSON.parse((await api(port, 'sources.list', {}, token)).body).result;
    expect(sources).toHaveLength(5);
    const tree = sources.find((s: { format: string }) => s.format === 'jsonl-tree');
    const page = JSON.parse((await api(port, 'sessions.list', { sourceId: tree.id, limit: 2, sort: 'id', direction: 'asc' }, token)).body).result;
    expect(page.total).toBe(3);
    expect(page.sessions.map((s: { id: string }) => s.id)).toEqual(['disk-usage', 'git-rebase']);
    const bad = await api(port, 'sessions.list', { sourceId: tree.id, limit: 'lots' }, token);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error).toMatchObject({ code: 'invalid-arguments' });
    expect(JSON.parse(bad.body).error.message).toMatch(/limit/);
    const unknown = await api(port, 'fs.readFile', {}, token);
    expect(unknown.status).toBe(400);
    const missing = await api(port, 'session.open', { sourceId: tree.id, sessionId: 'nope' }, token);
    expect(missing.status).toBe(404);
    const notJson = await send(port, '/api/sources.list', { method: 'POST', headers: { 'x-arbor-token': token }, body: '{oops' });
    expect(notJson.status).toBe(400);
    const noDialog = await api(port, 'host.pickPaths', { kind: 'file' }, token);
    expect(JSON.parse(noDialog.body).error.code).toBe('unsupported');
  });

  it('switches branches through the API: activate a sibling, get the path to its newest leaf', async () => {
    const { port, token } = await start();
    const call = async (method: string, args: unknown) => JSON.parse((await api(port, method, args, token)).body).result;
    const sources = await call('sources.list', {});
    const tree = sources.find((s: { format: string }) => s.format === 'jsonl-tree');
    const ref = { sourceId: tree.id, sessionId: 'git-rebase' };
    const overview = await call('session.open', ref);
    expect(overview).toMatchObject({ activeLeafId: 'a5', forkCount: 3, rootCount: 1 });
    const path = await call('session.activate', { ...ref, messageId: null });
    expect(path.messages.map((m: { id: string }) => m.id)).toEqual(['sys', 'q1b', 'a5']);
    expect(path.messages[1]).toMatchObject({ siblingPosition: 2, siblingCount: 2, previousSiblingId: 'q1', nextSiblingId: null });
    const switched = await call('session.activate', { ...ref, messageId: 'q1' });
    expect(switched.messages.map((m: { id: string }) => m.id)).toEqual(['sys', 'q1', 'a1', 'q2', 'a3']);
    const graph = await call('session.graph', ref);
    expect(graph.rootSegments).toHaveLength(1);
    expect(graph.segments.length).toBe(7);
  });
});
