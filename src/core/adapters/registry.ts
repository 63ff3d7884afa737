import type { StoreAdapter } from './adapter';
import { sqliteJsonHistoryAdapter } from './sqlite-json-history';
import { jsonlTreeAdapter } from './jsonl-tree';
import { sqliteChatHistoryAdapter } from './sqlite-chat-history';
import { sqliteTenantMessagesAdapter } from './sqlite-tenant-messages';
import { sqliteProviderSessionsAdapter } from './sqlite-provider-sessions';
import { chatgptExportAdapter } from '../stores/chatgpt-export/adapter';
import { claudeAiExportAdapter } from '../stores/claude-ai-export/adapter';

/**
 * Every layout Arbor reads, in the order detection tries them. A new layout is one adapter file and
 * one line here; detection, listing, the CLI, the app and the tests pick it up from this list.
 */
export const ADAPTERS: readonly StoreAdapter[] = [
  // JSON-file layouts, judged by their first record's keys, before any generic detector.
  chatgptExportAdapter,
  claudeAiExportAdapter,
  sqliteJsonHistoryAdapter,
  jsonlTreeAdapter,
  sqliteChatHistoryAdapter,
  sqliteTenantMessagesAdapter,
  sqliteProviderSessionsAdapter,
];

export function adapterFor(format: string): StoreAdapter | undefined {
  return ADAPTERS.find((a) => a.format === format);
}

export function knownLayoutsText(): string {
  return ADAPTERS.map((a) => `${a.format} (${a.summary})`).join('; ');
}
