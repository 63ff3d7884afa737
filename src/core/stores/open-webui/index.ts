import { defineLayout, readOnlyCapabilities } from '../layout';
import { openWebuiAdapter } from './reader';

/** Open WebUI's webui.db: one `chat` row per conversation, the message tree a JSON document in it. */
export const openWebuiLayout = defineLayout({
  reader: openWebuiAdapter,
  storage: 'sqlite',
  capabilities: readOnlyCapabilities('tree'),
});
