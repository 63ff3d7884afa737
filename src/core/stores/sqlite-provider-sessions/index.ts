import { cleanupsOf, defineLayout } from '../layout';
import { sqliteProviderSessionsCleaner } from './cleaner';
import { sqliteProviderSessionsCodec } from './codec';
import { sqliteProviderSessionsAdapter } from './reader';

/** FORMATS.md §5 (seed 004): provider-router session metadata, no messages. */
export const sqliteProviderSessionsLayout = defineLayout({
  reader: sqliteProviderSessionsAdapter,
  storage: 'sqlite',
  capabilities: { transcripts: false, history: 'linear', cleanups: cleanupsOf(sqliteProviderSessionsCleaner), importTarget: true, readOnly: false },
  cleaner: sqliteProviderSessionsCleaner,
  codec: sqliteProviderSessionsCodec,
  newStoreHint: 'one .db file; session metadata only, no messages',
});
