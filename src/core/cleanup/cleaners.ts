import type { FormatName } from '../model/types';
import type { LayoutCleaner } from './cleaner';
import { jsonlTreeCleaner } from '../stores/jsonl-tree/cleaner';
import { sqliteChatHistoryCleaner } from '../stores/sqlite-chat-history/cleaner';
import { sqliteJsonHistoryCleaner } from '../stores/sqlite-json-history/cleaner';
import { sqliteProviderSessionsCleaner } from '../stores/sqlite-provider-sessions/cleaner';
import { sqliteTenantMessagesCleaner } from '../stores/sqlite-tenant-messages/cleaner';

/** The cleanup side of every layout in adapters/registry.ts; a new layout adds its line here. */
const CLEANERS: Record<FormatName, LayoutCleaner> = {
  'sqlite-json-history': sqliteJsonHistoryCleaner,
  'jsonl-tree': jsonlTreeCleaner,
  'sqlite-chat-history': sqliteChatHistoryCleaner,
  'sqlite-tenant-messages': sqliteTenantMessagesCleaner,
  'sqlite-provider-sessions': sqliteProviderSessionsCleaner,
};

export function cleanerFor(format: FormatName): LayoutCleaner {
  return CLEANERS[format];
}
