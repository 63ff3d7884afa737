import { cleanupsOf, defineLayout } from '../layout';
import { sqliteTenantMessagesCleaner } from './cleaner';
import { sqliteTenantMessagesCodec } from './codec';
import { sqliteTenantMessagesAdapter } from './reader';

/** FORMATS.md §4 (seed 003): Drizzle `sessions` (tenant, user) + `messages`. */
export const sqliteTenantMessagesLayout = defineLayout({
  reader: sqliteTenantMessagesAdapter,
  storage: 'sqlite',
  capabilities: { transcripts: true, history: 'linear', cleanups: cleanupsOf(sqliteTenantMessagesCleaner), importTarget: true, readOnly: false },
  cleaner: sqliteTenantMessagesCleaner,
  codec: sqliteTenantMessagesCodec,
  newStoreHint: 'one .db file; every session belongs to a tenant',
});
