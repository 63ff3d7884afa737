import { cleanupsOf, defineLayout } from '../layout';
import { sqliteJsonHistoryCleaner } from './cleaner';
import { sqliteJsonHistoryCodec } from './codec';
import { sqliteJsonHistoryAdapter } from './reader';

/** FORMATS.md §1 (seed 000): one `sessions` table, each history one JSON array of Anthropic messages. */
export const sqliteJsonHistoryLayout = defineLayout({
  reader: sqliteJsonHistoryAdapter,
  storage: 'sqlite',
  capabilities: { transcripts: true, history: 'linear', cleanups: cleanupsOf(sqliteJsonHistoryCleaner), importTarget: true, readOnly: false },
  cleaner: sqliteJsonHistoryCleaner,
  codec: sqliteJsonHistoryCodec,
  newStoreHint: 'one .db file; each session one JSON array of messages',
});
