import type { FormatName } from '../../model/types';
import { jsonlTreeCodec } from './jsonl-tree';
import type { LayoutCodec } from './layout';
import { sqliteChatHistoryCodec } from './sqlite-chat-history';
import { sqliteJsonHistoryCodec } from './sqlite-json-history';
import { sqliteProviderSessionsCodec } from './sqlite-provider-sessions';
import { sqliteTenantMessagesCodec } from './sqlite-tenant-messages';

/** Every layout export and import can handle; a new layout adds its codec file and a line here. */
export const CODECS: readonly LayoutCodec[] = [
  sqliteJsonHistoryCodec,
  jsonlTreeCodec,
  sqliteChatHistoryCodec,
  sqliteTenantMessagesCodec,
  sqliteProviderSessionsCodec,
];

export function codecFor(format: FormatName | string): LayoutCodec | undefined {
  return CODECS.find((c) => c.format === format);
}

export const LAYOUT_NAMES: readonly FormatName[] = CODECS.map((c) => c.format);
