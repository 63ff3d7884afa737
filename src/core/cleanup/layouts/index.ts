import type { FormatName } from '../../model/types';
import type { LayoutCleaner } from './cleaner';
import { jsonlTreeCleaner } from './jsonl-tree';
import { sqliteChatHistoryCleaner } from './sqlite-chat-history';
import { sqliteJsonHistoryCleaner } from './sqlite-json-history';
import { sqliteProviderSessionsCleaner } from './sqlite-provider-sessions';
import { sqliteTenantMessagesCleaner } from './sqlite-tenant-messages';

/** The cleanup side of every layout in adapters/registry.ts; a new layout adds its line here. */
const CLEANERS: Record<FormatName, LayoutCleaner> = {
  'sqlite-json-history': sqliteJsonHistoryCleaner,
  'jsonl-tree': jsonlTreeCleaner,
  'sqlite-chat-history': sqliteChatHistoryCleaner,
  'sqlite-tenant-messages': sqliteTenantMessagesCleaner,
  'sqlite-provider-sessions': sqliteProviderSessionsCleaner,
};

/** Undefined for a layout Arbor only reads (it has no cleaner). */
export function cleanerFor(format: FormatName): LayoutCleaner | undefined {
  return Object.prototype.hasOwnProperty.call(CLEANERS, format) ? CLEANERS[format] : undefined;
}
