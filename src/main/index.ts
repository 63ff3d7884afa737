import { join } from 'node:path';
import type { BrowserWindow} from 'electron';
import { Menu, app, dialog } from 'electron';
import { WorkerPool } from '../core/service/workers/pool';
import { HOST_EVENT_CHANNEL, type HostEvent } from '../shared/events';
import { registerIpc } from './ipc';
import { buildMenu } from './menu';
import { electronNativeBinding } from './native';
import { guardContents, hardenSession } from './security';
import { UserStateFile } from './user-state';
import { createMainWindow, isAppUrl, rendererUrl } from './window';

/**
 * The thin Electron shell: one window, menus, dialogs, the IPC transport. Everything the app does
 * with stores is ArborService from src/core, the same code `arbor serve` and the tests run.
 */

const isDev = !app.isPackaged && process.env.NODE_ENV !== 'production';

// Paths given on the command line (`npm start -- PATH…`); electron's own arguments are skipped.
function pathsFromArgv(argv: string[]): string[] {
  const args = argv.slice(app.isPackaged ? 1 : 2);
  return args.filter((a) => !a.startsWith('-') && a !== '.' && !a.endsWith(join('out', 'main', 'index.js')));
}

// A second `arbor` start hands its paths to the running window (see 'second-instance') and leaves.
const isFirstInstance = app.requestSingleInstanceLock();
if (!isFirstInstance) app.quit();

/**
 * Where the project's own files are (.electron-native, resources/demo): the packaged app's resources
 * folder, or the repository (out/main/index.js is two levels below it) — also when Electron is
 * launched with the script path, as Playwright's Electron launcher does.
 */
const projectRoot = app.isPackaged ? process.resourcesPath : join(__dirname, '..', '..');

app.whenReady().then(() => {
  if (!isFirstInstance) return;
  const binding = electronNativeBinding(projectRoot);
  if (!binding) {
    dialog.showErrorBox('Arbor cannot read SQLite stores', 'The Electron build of better-sqlite3 is missing. Start Arbor with `npm start`, which builds it once.');
  }
  hardenSession();

  const state = new UserStateFile(app.getPath('userData'));
  let win: BrowserWindow | null = null;
  const send = (event: HostEvent) => win?.webContents.send(HOST_EVENT_CHANNEL, event);

  // Store work runs in worker threads, one per open source (core/service/workers): the main process,
  // which runs the window and the menus, never waits on a store.
  const service = new WorkerPool({
    workerEntry: join(__dirname, 'service-worker.js'),
    ...(binding ? { nativeBinding: binding } : {}),
    host: {
      info: { version: app.getVersion(), host: 'electron', canPickPaths: true },
      pickPaths: async (kind) => {
        const result = await dialog.showOpenDialog(win ?? undefined!, {
          title: kind === 'file' ? 'Open a session store file' : 'Open a folder of session stores',
          properties: kind === 'file' ? ['openFile', 'multiSelections'] : ['openDirectory', 'multiSelections'],
        });
        return result.canceled ? null : result.filePaths;
      },
      pickSavePath: async (suggestedName) => {
        const result = await dialog.showSaveDialog(win ?? undefined!, { title: 'Export sessions', defaultPath: join(app.getPath('documents'), suggestedName) });
        return result.canceled || !result.filePath ? null : result.filePath;
      },
      onSourcesChanged: (paths) => {
        state.rememberSources(paths);
        refreshMenu();
      },
    },
  });

  const openPaths = async (paths: string[]) => {
    try {
      const result = await service.open(paths);
      for (const w of result.warnings) send({ type: 'error', message: w.message });
    } catch (error) {
      send({ type: 'error', message: (error as Error).message });
    }
    send({ type: 'sources-changed' });
  };
  const pickAndOpen = async (kind: 'file' | 'folder') => {
    const paths = await service.handlers['host.pickPaths']({ kind });
    if (paths?.length) await openPaths(paths);
  };
  const refreshMenu = () =>
    Menu.setApplicationMenu(
      buildMenu({
        openFile: () => void pickAndOpen('file'),
        openFolder: () => void pickAndOpen('folder'),
        openRecent: (p) => void openPaths([p]),
        recent: () => state.state.recent,
        send,
        isDev,
      }),
    );

  const initial = pathsFromArgv(process.argv);
  // The window loads meanwhile; its first sources.list waits in no queue, and it hears sources-changed.
  service
    .open(initial.length ? initial : [join(projectRoot, 'resources', 'demo')])
    .then(() => send({ type: 'sources-changed' }))
    .catch((error: unknown) => dialog.showErrorBox('Arbor could not open a path', (error as Error).message));
  registerIpc(service.handlers, (contents, frameUrl) => contents === win?.webContents && isAppUrl(frameUrl));
  refreshMenu();

  win = createMainWindow(state);
  guardContents(win.webContents, (path) => void openPaths([path]));
  void win.loadURL(rendererUrl());

  app.on('second-instance', (_event, argv) => {
    const paths = pathsFromArgv(argv);
    if (paths.length) void openPaths(paths);
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('window-all-closed', () => {
    void service.close().finally(() => app.quit());
  });
});
