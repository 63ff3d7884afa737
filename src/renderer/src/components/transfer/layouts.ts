import type { FormatName } from '../../../../shared/dto';

/**
 * The five store layouts an import can create, in the words the source list uses for them (the
 * adapters' labels live in the core, which the renderer does not import).
 */
export const LAYOUTS: ReadonlyArray<{ id: FormatName; label: string; hint: string }> = [
  { id: 'jsonl-tree', label: 'JSONL tree store', hint: 'a folder: sessions.json and one messages.jsonl per session; keeps branches' },
  { id: 'sqlite-json-history', label: 'SQLite JSON history', hint: 'one .db file; each session one JSON array of messages' },
  { id: 'sqlite-chat-history', label: 'SQLite sessions + chat_history', hint: 'one .db file; one row per message' },
  { id: 'sqlite-tenant-messages', label: 'SQLite sessions + messages (tenant/user)', hint: 'one .db file; every session belongs to a tenant' },
  { id: 'sqlite-provider-sessions', label: 'SQLite provider-router sessions', hint: 'one .db file; session metadata only, no messages' },
];

export function layoutLabel(format: FormatName): string {
  return LAYOUTS.find((l) => l.id === format)?.label ?? format;
}

/** The last part of a path, for naming a source or file in a sentence. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).at(-1) ?? path;
}
