import '../shared/zod-config';
import { ipcMain, type WebContents } from 'electron';
import { z } from 'zod';
import { DROPPED_PATHS_CHANNEL } from '../shared/events';
import type { PathGrants } from './path-grants';

const DroppedPaths = z.array(z.string().min(1).max(4096)).min(1).max(1000);

/** Grants the paths the preload saw in a trusted drop, from the app's own window only. */
export function registerDropGrants(grants: PathGrants, isTrustedSender: (contents: WebContents, frameUrl: string) => boolean): void {
  ipcMain.on(DROPPED_PATHS_CHANNEL, (event, paths: unknown) => {
    const frame = event.senderFrame;
    if (!frame || frame !== event.sender.mainFrame || !isTrustedSender(event.sender, frame.url)) return;
    const parsed = DroppedPaths.safeParse(paths);
    if (parsed.success) grants.grantRead(parsed.data, 'drop');
  });
}
