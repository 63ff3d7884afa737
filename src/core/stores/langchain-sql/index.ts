import { defineLayout, readOnlyCapabilities } from '../layout';
import { langchainSqlAdapter } from './reader';

/**
 * LangChain's SQLChatMessageHistory: read-only. Writing it would be simple, but the app that owns the
 * table reads it back through LangChain's own message classes, and Arbor's blocks do not map back onto
 * every provider's content shape; copying into a store or exporting keeps everything.
 */
export const langchainSqlLayout = defineLayout({
  reader: langchainSqlAdapter,
  storage: 'sqlite',
  capabilities: readOnlyCapabilities('linear'),
});
