import '../shared/zod-config';
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { METHOD_NAMES, ipcChannel, type ArborApi } from '../shared/contract';
import { CANCEL_CHANNEL, DROPPED_PATHS_CHANNEL, HOST_EVENT_CHANNEL, type HostEvent, type HostEventBridge } from '../shared/events';

/**
 * Exposes exactly the contract: one function per API call, each forwarding its arguments to its own
 * IPC channel, plus the host-event subscription. Nothing of ipcRenderer itself reaches the page.
 */
const api: Record<string, (args: unknown, callId?: string) => Promise<unknown>> = {};
for (const method of METHOD_NAMES) {
  // callId (optional): lets the renderer cancel the call later (cancelCall below).
  api[method] = (args: unknown, callId?: string) => ipcRenderer.invoke(ipcChannel(method), args, typeof callId === 'string' ? callId : undefined);
}

const events: HostEventBridge = {
  onHostEvent(listener) {
    const wrapped = (_event: unknown, payload: HostEvent) => listener(payload);
    ipcRenderer.on(HOST_EVENT_CHANNEL, wrapped);
    return () => ipcRenderer.removeListener(HOST_EVENT_CHANNEL, wrapped);
  },
  cancelCall: (callId) => ipcRenderer.send(CANCEL_CHANNEL, String(callId)),
  // File.path is gone from Electron; webUtils is the one way to learn where a dropped file is.
  pathForFile: (file) => webUtils.getPathForFile(file as Parameters<typeof webUtils.getPathForFile>[0]),
};

// A drop the user really made (a page script cannot make a trusted one, nor a File with a path):
// its paths are granted in the main process before the page's own drop handler names them. The
// listener is the first on the window (the preload runs before the page), and this message goes
// down the same pipe as, so ahead of, the calls that follow it.
window.addEventListener(
  'drop',
  (event) => {
    if (!event.isTrusted || !event.dataTransfer) return;
    const paths = Array.from(event.dataTransfer.files).map((f) => webUtils.getPathForFile(f)).filter((p) => p.length > 0);
    if (paths.length) ipcRenderer.send(DROPPED_PATHS_CHANNEL, paths);
  },
  true,
);

contextBridge.exposeInMainWorld('arbor', api as unknown as ArborApi);
contextBridge.exposeInMainWorld('arborHost', events);
