import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { METHOD_NAMES, contract, ipcChannel } from '../../src/shared/contract';
import { ArborService } from '../../src/core/service/arbor-service';
import { CANCEL_CHANNEL } from '../../src/shared/events';
import { PathGrants } from '../../src/main/path-grants';

/**
 * Every call of the contract must be served by every host and exposed by the preload. Electron's
 * binary cannot run here, so its ipcMain and contextBridge are replaced by recorders: what is checked
 * is which channels our code registers and which names it exposes.
 */
const registered = new Map<string, (...args: unknown[]) => unknown>();
const exposed = new Map<string, unknown>();
const listeners = new Map<string, (...args: unknown[]) => unknown>();
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (...args: unknown[]) => unknown) => registered.set(channel, fn),
    removeHandler: (channel: string) => registered.delete(channel),
    on: (channel: string, fn: (...args: unknown[]) => unknown) => listeners.set(channel, fn),
    removeListener: (channel: string) => listeners.delete(channel),
  },
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
  webUtils: { getPathForFile: () => '/dropped/file.arbor.jsonl' },
  ipcRenderer: { invoke: vi.fn(async (channel: string, args: unknown) => ({ channel, args })), on: vi.fn(), removeListener: vi.fn(), send: (channel: string, args: unknown) => sent.push({ channel, args }) },
}));
const sent: Array<{ channel: string; args: unknown }> = [];
// The preload's window: what it listens to is recorded.
const windowListeners = new Map<string, (event: unknown) => void>();
vi.stubGlobal('window', { addEventListener: (type: string, fn: (event: unknown) => void) => windowListeners.set(type, fn) });

describe('the API contract', () => {
  it('has a handler in the service for every call, and no handler outside it', () => {
    const service = new ArborService({ info: { version: 't', host: 'browser', canPickPaths: false } });
    expect(Object.keys(service.handlers).sort()).toEqual([...METHOD_NAMES].sort());
  });

  it('is registered over IPC, one channel per call, and each channel refuses foreign senders', async () => {
    const { registerIpc } = await import('../../src/main/ipc');
    const service = new ArborService({ info: { version: 't', host: 'electron', canPickPaths: false } });
    registerIpc(service.handlers, () => false, new PathGrants());
    expect([...registered.keys()].sort()).toEqual(METHOD_NAMES.map(ipcChannel).sort());
    const frame = { url: 'https://evil.example/' };
    const event = { senderFrame: frame, sender: { mainFrame: frame } };
    await expect(registered.get(ipcChannel('sources.list'))!(event, {})).rejects.toThrow(/did not come from the Arbor window/);
  });

  it('validates IPC arguments with the contract schema before the handler runs', async () => {
    const { registerIpc } = await import('../../src/main/ipc');
    const service = new ArborService({ info: { version: 't', host: 'electron', canPickPaths: false } });
    registerIpc(service.handlers, () => true, new PathGrants());
    const frame = { url: 'file:///app/index.html' };
    const event = { senderFrame: frame, sender: { mainFrame: frame } };
    await expect(registered.get(ipcChannel('sessions.list'))!(event, { sourceId: 1 })).rejects.toThrow(/invalid-arguments/);
    await expect(registered.get(ipcChannel('sources.list'))!(event, {})).resolves.toEqual([]);
  });

  it('aborts a call over IPC when the renderer cancels it by the id it gave the call', async () => {
    const { registerIpc } = await import('../../src/main/ipc');
    let seen: AbortSignal | undefined;
    const service = new ArborService({ info: { version: 't', host: 'electron', canPickPaths: false } });
    const handlers = { ...service.handlers, 'sources.list': (_args: unknown, signal?: AbortSignal) => ((seen = signal), new Promise<never>(() => undefined)) };
    registerIpc(handlers as typeof service.handlers, () => true, new PathGrants());
    const frame = { url: 'file:///app/index.html' };
    const sender = { mainFrame: frame, getURL: () => frame.url };
    void registered.get(ipcChannel('sources.list'))!({ senderFrame: frame, sender }, {}, 'c7');
    await Promise.resolve();
    expect(seen?.aborted).toBe(false);
    listeners.get(CANCEL_CHANNEL)!({ sender }, 'c7');
    expect(seen?.aborted).toBe(true);
  });

  it('is exposed by the preload exactly: one function per call, host events, and the path of a dropped file', async () => {
    await import('../../src/preload/index');
    const arbor = exposed.get('arbor') as Record<string, (args: unknown) => Promise<unknown>>;
    expect(Object.keys(arbor).sort()).toEqual([...METHOD_NAMES].sort());
    await expect(arbor['sessions.list']({ sourceId: 's' })).resolves.toEqual({ channel: 'arbor:sessions.list', args: { sourceId: 's' } });
    const host = exposed.get('arborHost') as { onHostEvent: unknown; pathForFile: (f: unknown) => string };
    expect(Object.keys(host).sort()).toEqual(['cancelCall', 'onHostEvent', 'pathForFile']);
    (host as unknown as { cancelCall: (id: string) => void }).cancelCall('c1');
    expect(sent).toContainEqual({ channel: CANCEL_CHANNEL, args: 'c1' });
    expect(host.pathForFile({})).toBe('/dropped/file.arbor.jsonl');
    expect([...exposed.keys()].sort()).toEqual(['arbor', 'arborHost']);
  });

  it('tells the main process the paths of a drop the user made, and of no drop a script made', async () => {
    await import('../../src/preload/index');
    const onDrop = windowListeners.get('drop')!;
    sent.length = 0;
    onDrop({ isTrusted: false, dataTransfer: { files: [{}] } });
    expect(sent).toEqual([]);
    onDrop({ isTrusted: true, dataTransfer: { files: [{}] } });
    expect(sent).toEqual([{ channel: 'arbor:dropped-paths', args: ['/dropped/file.arbor.jsonl'] }]);
  });

  it('is what the renderer client calls (it derives its functions from the same list)', () => {
    const client = readFileSync(join(import.meta.dirname, '../../src/renderer/src/api/client.ts'), 'utf8');
    expect(client).toMatch(/for \(const method of METHOD_NAMES\)/);
    expect(Object.keys(contract)).toEqual(METHOD_NAMES);
  });
});
