import { cleanupsOf, defineLayout } from '../layout';
import { sqliteChatHistoryCleaner } from './cleaner';
import { sqliteChatHistoryCodec } from './codec';
import { sqliteChatHistoryAdapter } from './reader';

/** FORMATS.md §3 (seed 002): `sessions` + `chat_history`, one row per message. */
export const sqliteChatHistoryLayout = defineLayout({
  reader: sqliteChatHistoryAdapter,
  storage: 'sqlite',
  capabilities: { transcripts: true, history: 'linear', cleanups: cleanupsOf(sqliteChatHistoryCleaner), importTarget: true, readOnly: false },
  cleaner: sqliteChatHistoryCleaner,
  codec: sqliteChatHistoryCodec,
  newStoreHint: 'one .db file; one row per message',
  search: { table: 'chat_history', rowId: 'id', session: 'session_id', role: 'role', content: 'content', time: 'timestamp' },
});
