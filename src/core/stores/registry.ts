import type { StoreAdapter } from '../adapters/adapter';
import { sqliteJsonHistoryAdapter } from './sqlite-json-history/reader';
import { jsonlTreeAdapter } from './jsonl-tree/reader';
import { sqliteChatHistoryAdapter } from './sqlite-chat-history/reader';
import { sqliteTenantMessagesAdapter } from './sqlite-tenant-messages/reader';
import { sqliteProviderSessionsAdapter } from './sqlite-provider-sessions/reader';

/**
 * Every layout Arbor reads, in the order detection tries them. A new layout is one adapter file and
 * one line here; detection, listing, the CLI, the app and the tests pick it up from this list.
 */
export const ADAPTERS: readonly StoreAdapter[] = [
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
