import type { StoreLayout } from './layout';
import { chatgptExportLayout } from './chatgpt-export';
import { claudeAiExportLayout } from './claude-ai-export';
import { claudeCodeLayout } from './claude-code';
import { codexCliLayout } from './codex-cli';
import { geminiCliLayout } from './gemini-cli';
import { jsonlTreeLayout } from './jsonl-tree';
import { langchainSqlLayout } from './langchain-sql';
import { openWebuiLayout } from './open-webui';
import { openWebuiExportLayout } from './open-webui-export';
import { sqlMappingLayout } from './sql-mapping';
import { sqliteChatHistoryLayout } from './sqlite-chat-history';
import { sqliteJsonHistoryLayout } from './sqlite-json-history';
import { sqliteProviderSessionsLayout } from './sqlite-provider-sessions';
import { sqliteTenantMessagesLayout } from './sqlite-tenant-messages';

/**
 * Every layout Arbor knows, in the order detection tries them. Adding a layout is one folder under
 * src/core/stores/ exporting its StoreLayout, and one line here; the service, the CLI and the tests
 * hand this list to the generic machinery, which never imports it.
 */
export const LAYOUTS: readonly StoreLayout[] = [
  // First: a mapping the user gave for a file is their explicit choice (it applies only to files they mapped).
  sqlMappingLayout,
  chatgptExportLayout,
  claudeAiExportLayout,
  sqliteJsonHistoryLayout,
  claudeCodeLayout,
  jsonlTreeLayout,
  sqliteChatHistoryLayout,
  sqliteTenantMessagesLayout,
  sqliteProviderSessionsLayout,
  codexCliLayout,
  geminiCliLayout,
  openWebuiLayout,
  openWebuiExportLayout,
  langchainSqlLayout,
];
