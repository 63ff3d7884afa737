import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { METHOD_NAMES, ipcChannel, type ArborApi } from '../shared/contract';
import { CANCEL_CHANNEL, HOST_EVENT_CHANNEL, type HostEvent, type HostEventBridge } from '../shared/events';

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
  // File.path is gone from Electron; webUtils is the one way to learn where a dropped file is.
  cancelCall: (callId) => ipcRenderer.send(CANCEL_CHANNEL, String(callId)),
  pathForFile: (file) => webUtils.getPathForFile(file as Parameters<typeof webUtils.getPathForFile>[0]),
};

contextBridge.exposeInMainWorld('arbor', api as unknown as ArborApi);
contextBridge.exposeInMainWorld('arborHost', events);
