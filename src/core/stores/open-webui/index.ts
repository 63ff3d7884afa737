import { cleanupsOf, defineLayout } from '../layout';
import { openWebuiCleaner } from './cleaner';
import { openWebuiCodec } from './codec';
import { openWebuiAdapter } from './reader';

/**
 * Open WebUI's webui.db: one `chat` row per conversation, the message tree a JSON document in it.
 * An import target (into an existing database only: Open WebUI creates its own, with its users);
 * cleanup deletes chats and prunes branches, keeping the tree's links and current leaf consistent.
 */
export const openWebuiLayout = defineLayout({
  reader: openWebuiAdapter,
  storage: 'sqlite',
  capabilities: { transcripts: true, history: 'tree', cleanups: cleanupsOf(openWebuiCleaner), importTarget: true, newStores: false, readOnly: false },
  cleaner: openWebuiCleaner,
  codec: openWebuiCodec,
});
