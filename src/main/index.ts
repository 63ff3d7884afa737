import '../shared/zod-config';
import { join } from 'node:path';
import type { BrowserWindow} from 'electron';
import { Menu, app, dialog, protocol } from 'electron';
import { WorkerPool } from '../core/service/workers/pool';
import { HOST_EVENT_CHANNEL, type HostEvent } from '../shared/events';
import { APP_SCHEME, isAppUrl, rendererLocation } from './app-origin';
import { APP_SCHEME_PRIVILEGES, appResponse } from './app-protocol';
import { registerDropGrants } from './drop-grants';
import { registerIpc } from './ipc';
import { buildMenu } from './menu';
import { electronNativeBinding } from './native';
import { grantingDialogs, PathGrants } from './path-grants';
import { guardContents, hardenSession } from './security';
import { UserStateFile } from './user-state';
import { createMainWindow, startUrl } from './window';

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

// The page is served from arbor://app/ (app-origin.ts says why); the scheme must be privileged before ready.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
const location = rendererLocation(app.isPackaged, process.env);

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
  const rendererDir = join(__dirname, '..', 'renderer');
  protocol.handle(APP_SCHEME, (request) => appResponse(rendererDir, request));

  const state = new UserStateFile(app.getPath('userData'));
  let win: BrowserWindow | null = null;
  const send = (event: HostEvent) => win?.webContents.send(HOST_EVENT_CHANNEL, event);
  // The paths the renderer may name: what the user chose here, dropped, passed, or opened recently.
  const grants = new PathGrants();
  grants.grantRead(state.state.recent, 'recent');
  const dialogs = grantingDialogs(grants, {
    showOpenDialog: (options) => dialog.showOpenDialog(win ?? undefined!, options),
    showSaveDialog: (options) => dialog.showSaveDialog(win ?? undefined!, options),
    defaultFolder: () => app.getPath('documents'),
  });

  // Store work runs in worker threads, one per open source (core/service/workers): the main process,
  // which runs the window and the menus, never waits on a store.
  const service = new WorkerPool({
    workerEntry: join(__dirname, 'service-worker.js'),
    ...(binding ? { nativeBinding: binding } : {}),
    host: {
      info: { version: app.getVersion(), host: 'electron', canPickPaths: true },
      pickPaths: dialogs.pickPaths,
      pickSavePath: dialogs.pickSavePath,
      onSourcesChanged: (paths) => {
        state.rememberSources(paths);
        refreshMenu();
      },
    },
  });

  const openPaths = async (paths: string[], origin: 'argv' | 'drop' | 'recent' | 'dialog') => {
    grants.grantRead(paths, origin);
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
    if (paths?.length) await openPaths(paths, 'dialog');
  };
  const refreshMenu = () =>
    Menu.setApplicationMenu(
      buildMenu({
        openFile: () => void pickAndOpen('file'),
        openFolder: () => void pickAndOpen('folder'),
        openRecent: (p) => void openPaths([p], 'recent'),
        recent: () => state.state.recent,
        send,
        isDev,
      }),
    );

  const initial = pathsFromArgv(process.argv);
  const firstPaths = initial.length ? initial : [join(projectRoot, 'resources', 'demo')];
  grants.grantRead(firstPaths, initial.length ? 'argv' : 'app');
  // The window loads meanwhile; its first sources.list waits in no queue, and it hears sources-changed.
  service
    .open(firstPaths)
    .then(() => send({ type: 'sources-changed' }))
    .catch((error: unknown) => dialog.showErrorBox('Arbor could not open a path', (error as Error).message));
  const isTrustedSender = (contents: Electron.WebContents, frameUrl: string) => contents === win?.webContents && isAppUrl(frameUrl, location);
  registerIpc(service.handlers, isTrustedSender, grants);
  registerDropGrants(grants, isTrustedSender);
  refreshMenu();

  win = createMainWindow(state, location);
  guardContents(win.webContents, (path) => void openPaths([path], 'drop'));
  // The place the reader left last time (the renderer keeps it in the URL hash).
  void win.loadURL(startUrl(location, state.state.location));

  app.on('second-instance', (_event, argv) => {
    const paths = pathsFromArgv(argv);
    if (paths.length) void openPaths(paths, 'argv');
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('window-all-closed', () => {
    void service.close().finally(() => app.quit());
  });
});
