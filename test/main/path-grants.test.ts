import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDemoStores } from '../../scripts/demo/build-demo-stores';
import { ArborService } from '../../src/core/service/arbor-service';
import { grantingDialogs, PathGrants, type ShowOpenDialog, type ShowSaveDialog } from '../../src/main/path-grants';
import { dispatch } from '../../src/shared/dispatch';
import type { MethodName } from '../../src/shared/contract';
import { tempDir } from '../fixtures/tmp';

/**
 * The Electron main process serves only paths it was given (path-grants.ts): the renderer may name
 * what the user chose in a dialog the main process showed, dropped, passed or opened before, and
 * nothing else. Electron's dialogs are replaced by functions that answer as a user would; the
 * service is the real one, writing real files.
 */
function app(dir: string) {
  const grants = new PathGrants();
  const answers: { open: string[] | null; save: string | null } = { open: null, save: null };
  const shown: string[] = [];
  const showOpenDialog: ShowOpenDialog = async (options) => {
    shown.push(options.title);
    return answers.open ? { canceled: false, filePaths: answers.open } : { canceled: true, filePaths: [] };
  };
  const showSaveDialog: ShowSaveDialog = async (options) => {
    shown.push(`${options.title} @ ${options.defaultPath}`);
    return answers.save ? { canceled: false, filePath: answers.save } : { canceled: true };
  };
  const dialogs = grantingDialogs(grants, { showOpenDialog, showSaveDialog, defaultFolder: () => join(dir, 'Documents') });
  const service = new ArborService({ info: { version: 't', host: 'electron', canPickPaths: true }, trashDir: join(dir, 'trash'), dataDir: join(dir, 'data'), ...dialogs });
  // What ipc.ts does with every call from the window: check the paths, dispatch, record what the result grants.
  const call = async (method: MethodName, args: unknown) => {
    grants.check(method, args);
    const result = await dispatch(service.handlers, method, args);
    grants.record(method, result);
    return result as never;
  };
  return { grants, answers, shown, service, call };
}

describe('paths the Electron renderer may name', () => {
  it('opens what the open dialog returned, and what lies below a chosen folder; a typed path is refused', async () => {
    const dir = tempDir('arbor-grants-');
    const stores = buildDemoStores(join(dir, 'stores'));
    const { answers, call, shown, service } = app(dir);
    await expect(call('sources.open', { paths: [stores['jsonl-tree']] })).rejects.toThrow(/Refused to open .*only paths you chose/);
    expect(service.openPaths()).toEqual([]);

    answers.open = [join(dir, 'stores')];
    const picked = await call('host.pickPaths', { kind: 'folder' });
    expect(picked).toEqual([join(dir, 'stores')]);
    expect(shown).toEqual(['Open a folder of session stores']);
    const opened = (await call('sources.open', { paths: [stores['jsonl-tree']] })) as { opened: unknown[] };
    expect(opened.opened).toHaveLength(1);
    // `..` does not climb out of a grant.
    await expect(call('sources.open', { paths: [join(dir, 'stores', '..', 'trash')] })).rejects.toThrow(/Refused/);
    // A cancelled dialog grants nothing.
    answers.open = null;
    expect(await call('host.pickPaths', { kind: 'file' })).toBeNull();
    await expect(call('mapping.inspect', { path: join(dir, 'elsewhere.db') })).rejects.toThrow(/Refused to open/);
  });

  it('exports only to the path the save dialog returned, once; never over a file the user did not choose', async () => {
    const dir = tempDir('arbor-grants-');
    const stores = buildDemoStores(join(dir, 'stores'));
    const { answers, call, grants, shown } = app(dir);
    grants.grantRead([stores['jsonl-tree']], 'argv');
    const { opened } = (await call('sources.open', { paths: [stores['jsonl-tree']] })) as { opened: Array<{ id: string }> };
    const sourceId = opened[0].id;
    // A file of the user's that a compromised renderer would like to overwrite.
    const precious = join(dir, 'precious.txt');
    writeFileSync(precious, 'keep me');
    const exportTo = (destination: string) => call('export.run', { sourceId, sessionIds: ['git-rebase'], format: 'md', destination });
    await expect(exportTo(precious)).rejects.toThrow(/Refused to write .*precious\.txt/);
    expect(readFileSync(precious, 'utf8')).toBe('keep me');

    answers.save = join(dir, 'chosen.md');
    // The renderer suggests a name; only its last part is used, in the default folder.
    expect(await call('host.pickSavePath', { suggestedName: '../../etc/git-rebase.md' })).toBe(join(dir, 'chosen.md'));
    expect(shown.at(-1)).toBe(`Export sessions @ ${join(dir, 'Documents', 'git-rebase.md')}`);
    await exportTo(join(dir, 'chosen.md'));
    expect(readFileSync(join(dir, 'chosen.md'), 'utf8')).toContain('# Arbor export');
    // The grant went with the export: the same path again needs the dialog again.
    await expect(exportTo(join(dir, 'chosen.md'))).rejects.toThrow(/Refused to write/);
    // A read grant (an opened folder) is no write grant.
    await expect(exportTo(join(stores['jsonl-tree'], 'x.md'))).rejects.toThrow(/Refused to write/);
    expect(existsSync(join(stores['jsonl-tree'], 'x.md'))).toBe(false);
  });

  it('imports from a chosen file into a new store only where the save dialog said', async () => {
    const dir = tempDir('arbor-grants-');
    const stores = buildDemoStores(join(dir, 'stores'));
    const { answers, call, grants, service } = app(dir);
    grants.grantRead([stores['jsonl-tree']], 'drop');
    const { opened } = (await call('sources.open', { paths: [stores['jsonl-tree']] })) as { opened: Array<{ id: string }> };
    const preview = (target: { path: string; layout: string }) =>
      call('import.preview', { input: { sourceId: opened[0].id, sessionIds: ['git-rebase'] }, target, onConflict: 'skip', tree: 'active' });
    const typed = join(dir, 'typed.db');
    await expect(preview({ path: typed, layout: 'sqlite-chat-history' })).rejects.toThrow(/Refused to write .*typed\.db/);
    answers.save = join(dir, 'new-store.db');
    expect(await call('host.pickSavePath', { suggestedName: 'new-store.db', purpose: 'new-store' })).toBe(join(dir, 'new-store.db'));
    const first = (await preview({ path: join(dir, 'new-store.db'), layout: 'sqlite-chat-history' })) as { previewId: string };
    // Previewing again (another option) keeps the grant; the import creates the store.
    const again = (await preview({ path: join(dir, 'new-store.db'), layout: 'sqlite-chat-history' })) as { previewId: string };
    expect(again.previewId).not.toBe(first.previewId);
    await call('import.apply', { previewId: again.previewId });
    expect(readFileSync(join(dir, 'new-store.db')).subarray(0, 15).toString()).toBe('SQLite format 3');
    // An input file the renderer merely names is refused; one staged by the main process is not.
    await expect(call('import.preview', { input: { path: join(dir, 'x.arbor.jsonl') }, target: { path: join(dir, 'new-store.db'), layout: 'sqlite-chat-history' }, onConflict: 'skip', tree: 'active' })).rejects.toThrow(/Refused to open/);
    const staged = (await call('import.stage', { name: 'x.arbor.jsonl', content: '' })) as { path: string };
    expect(grants.mayRead(staged.path)).toBe(true);
    service.closeAll();
  });

  it('grants known locations the main process listed, and nothing for arguments the schema refuses', async () => {
    const dir = tempDir('arbor-grants-');
    const { call, grants } = app(dir);
    const locations = (await call('locations.list', {})) as Array<{ path: string; exists: boolean }>;
    for (const l of locations) expect(grants.mayRead(l.path)).toBe(l.exists);
    // Malformed arguments reach dispatch, which refuses them before any path is used.
    await expect(call('sources.open', { paths: 'not-a-list' })).rejects.toThrow(/paths/);
    expect(grants.mayRead('/')).toBe(false);
  });
});
