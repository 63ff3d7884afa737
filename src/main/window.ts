import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, screen } from 'electron';
import type { UserStateFile } from './user-state';


/** The one app window: hardened webPreferences, remembered bounds. */
export function createMainWindow(state: UserStateFile): BrowserWindow {
  const saved = state.state.window;
  const visible = saved && saved.x !== undefined && saved.y !== undefined
    ? screen.getAllDisplays().some((d) => {
        const a = d.workArea;
        return saved.x! < a.x + a.width && saved.x! + saved.width > a.x && saved.y! < a.y + a.height && saved.y! + saved.height > a.y;
      })
    : false;
  const win = new BrowserWindow({
    width: saved?.width ?? 1400,
    height: saved?.height ?? 900,
    ...(visible ? { x: saved!.x, y: saved!.y } : {}),
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Arbor',
    backgroundColor: '#1b1d21',
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      spellcheck: false,
    },
  });
  if (saved?.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  const save = () => {
    if (win.isDestroyed()) return;
    const b = win.getNormalBounds();
    state.rememberWindow({ x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() }, locationOf(win.webContents.getURL()));
  };
  win.on('close', save);
  return win;
}

/** The page the window shows: the dev server in development, the built file otherwise. */
export function rendererUrl(): string {
  const dev = process.env.ELECTRON_RENDERER_URL;
  return dev ?? pathToFileURL(join(__dirname, '../renderer/index.html')).href;
}

/** The page to open at start: the app's own page, at the place (URL hash) the reader left last time. */
export function startUrl(savedLocation: string | undefined): string {
  const hash = savedLocation && savedLocation.startsWith('#') ? savedLocation : '';
  return `${rendererUrl()}${hash}`;
}

/** The hash of the app's page (where the reader is), or undefined for any other page. */
function locationOf(url: string): string | undefined {
  if (!isAppUrl(url)) return undefined;
  try {
    return new URL(url).hash;
  } catch {
    return undefined;
  }
}

/** Calls are served only to the app's own page (same origin as rendererUrl, or the same file). */
export function isAppUrl(url: string): boolean {
  const app = new URL(rendererUrl());
  try {
    const u = new URL(url);
    return app.protocol === 'file:' ? u.protocol === 'file:' && u.pathname === app.pathname : u.origin === app.origin;
  } catch {
    return false;
  }
}
