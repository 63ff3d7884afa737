import { Menu, app, type MenuItemConstructorOptions } from 'electron';
import type { HostEvent } from '../shared/events';

export interface MenuActions {
  openFile(): void;
  openFolder(): void;
  openRecent(path: string): void;
  recent(): string[];
  send(event: HostEvent): void;
  isDev: boolean;
}

/** The application menu; rebuilt when the recent list changes. */
export function buildMenu(actions: MenuActions): Menu {
  const recent = actions.recent();
  const command = (c: Extract<HostEvent, { type: 'menu' }>['command']) => () => actions.send({ type: 'menu', command: c });
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Open File…', accelerator: 'CmdOrCtrl+O', click: actions.openFile },
        { label: 'Open Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: actions.openFolder },
        {
          label: 'Open Recent',
          enabled: recent.length > 0,
          submenu: recent.length ? recent.map((p) => ({ label: p, click: () => actions.openRecent(p) })) : [{ label: 'Nothing yet', enabled: false }],
        },
        { type: 'separator' },
        { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: command('export') },
        { label: 'Import…', accelerator: 'CmdOrCtrl+I', click: command('import') },
        { type: 'separator' },
        { label: 'Cleanup…', click: command('cleanup') },
        { label: 'Trash…', click: command('trash') },
        { type: 'separator' },
        { label: 'Reload Source', accelerator: 'CmdOrCtrl+R', click: command('reload-source') },
        { label: 'Close Source', accelerator: 'CmdOrCtrl+W', click: command('close-source') },
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        { label: 'Toggle Dark Theme', accelerator: 'CmdOrCtrl+Shift+L', click: command('toggle-theme') },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(actions.isDev ? [{ type: 'separator' as const }, { role: 'toggleDevTools' as const }] : []),
      ],
    },
    { label: '&Help', submenu: [{ label: 'Keyboard Shortcuts', accelerator: 'Shift+/', click: command('show-shortcuts') }, { label: `Arbor ${app.getVersion()}`, enabled: false }] },
  ];
  return Menu.buildFromTemplate(template);
}
