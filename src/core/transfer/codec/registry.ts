import type { FormatName } from '../../model/types';
import { jsonlTreeCodec } from '../../stores/jsonl-tree/codec';
import type { LayoutCodec } from './codec';
import { sqliteChatHistoryCodec } from '../../stores/sqlite-chat-history/codec';
import { sqliteJsonHistoryCodec } from '../../stores/sqlite-json-history/codec';
import { sqliteProviderSessionsCodec } from '../../stores/sqlite-provider-sessions/codec';
import { sqliteTenantMessagesCodec } from '../../stores/sqlite-tenant-messages/codec';

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
