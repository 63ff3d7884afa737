import type { ArborApi } from '../shared/contract';
import type { HostEventBridge } from '../shared/events';

declare global {
  interface Window {
    arbor?: ArborApi;
    arborHost?: HostEventBridge;
  }
}
export {};
