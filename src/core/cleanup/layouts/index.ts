import { adapterFor } from '../../adapters/registry';
import type { FormatName } from '../../model/types';
import { CleanupError } from '../errors';
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

/** Read-only layouts (exports) have no cleaner: a cleanup of one is refused plainly. */
export function cleanerFor(format: FormatName): LayoutCleaner {
  const cleaner = Object.hasOwn(CLEANERS, format) ? CLEANERS[format] : undefined;
  if (!cleaner) {
    throw new CleanupError(`Arbor never writes ${adapterFor(format)?.label ?? format} stores; copy the sessions to another store (Import…) or export them instead`);
  }
  return cleaner;
}

export function hasCleaner(format: FormatName): boolean {
  return Object.hasOwn(CLEANERS, format);
}
