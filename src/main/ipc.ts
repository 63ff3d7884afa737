import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { METHOD_NAMES, ipcChannel, type ApiHandlers } from '../shared/contract';
import { dispatch } from '../shared/dispatch';
import { ApiError, toApiError } from '../shared/errors';
import type { PathGrants } from './path-grants';

/**
 * Registers one IPC handler per contract call. A call is served only when it comes from the main
 * frame of the app's own window showing the app's own page; arguments are validated by the
 * contract's schema in dispatch(), and every path in them must be one the main process granted
 * (path-grants.ts). Errors cross as JSON in the message, which the client unpacks.
 */
export function registerIpc(handlers: ApiHandlers, isTrustedSender: (contents: WebContents, frameUrl: string) => boolean, grants: PathGrants): () => void {
  for (const method of METHOD_NAMES) {
    ipcMain.handle(ipcChannel(method), async (event: IpcMainInvokeEvent, args: unknown) => {
      const frame = event.senderFrame;
      if (!frame || frame !== event.sender.mainFrame || !isTrustedSender(event.sender, frame.url)) {
        throw new Error(JSON.stringify(new ApiError('failed', 'Refused: the call did not come from the Arbor window.')));
      }
      try {
        grants.check(method, args);
        const result = await dispatch(handlers, method, args);
        grants.record(method, result);
        return result;
      } catch (error) {
        throw new Error(JSON.stringify(toApiError(error)));
      }
    });
  }
  return () => {
    for (const method of METHOD_NAMES) ipcMain.removeHandler(ipcChannel(method));
  };
}
