import { join } from 'node:path';
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
    state.rememberWindow({ x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() });
  };
  win.on('close', save);
  return win;
}
