import type { MappedRole, MappingTable, SqlMapping } from '../../../../shared/dto';

/**
 * The "Map columns…" form as the user edits it: every choice a string ('' = not chosen), turned
 * into the mapping the core checks (src/core/stores/sql-mapping/mapping.ts) only when the required
 * columns are chosen.
 */

export const MESSAGE_FIELDS = [
  { key: 'session', label: 'Session column', required: true, hint: 'names the conversation a message belongs to' },
  { key: 'role', label: 'Role column', required: true, hint: 'who wrote it: its values are mapped below' },
  { key: 'content', label: 'Content column', required: true, hint: 'the text of the message' },
  { key: 'order', label: 'Order column', required: false, hint: 'orders a conversation (else the time, else the row order)' },
  { key: 'time', label: 'Time column', required: false, hint: 'unix seconds or milliseconds, or a date text' },
  { key: 'id', label: 'Message id column', required: false, hint: 'with a parent column: a tree' },
  { key: 'parent', label: 'Parent column', required: false, hint: 'the id of the message this one answers' },
] as const;

export const SESSION_FIELDS = [
  { key: 'id', label: 'Session id column', required: true, hint: 'the value the session column holds' },
  { key: 'title', label: 'Title column', required: false, hint: 'else the first user message' },
  { key: 'created', label: 'Created column', required: false, hint: '' },
  { key: 'updated', label: 'Updated column', required: false, hint: '' },
] as const;

export type MessageKey = (typeof MESSAGE_FIELDS)[number]['key'];
export type SessionKey = (typeof SESSION_FIELDS)[number]['key'];

export interface Draft {
  messagesTable: string;
  messages: Record<MessageKey, string>;
  useSessions: boolean;
  sessionsTable: string;
  sessions: Record<SessionKey, string>;
  roles: Record<string, MappedRole>;
}

const emptyMessages = (): Record<MessageKey, string> => ({ session: '', role: '', content: '', order: '', time: '', id: '', parent: '' });
const emptySessions = (): Record<SessionKey, string> => ({ id: '', title: '', created: '', updated: '' });

export function draftFrom(mapping: SqlMapping | null, tables: readonly MappingTable[]): Draft {
  if (!mapping) return { messagesTable: tables[0]?.name ?? '', messages: emptyMessages(), useSessions: false, sessionsTable: '', sessions: emptySessions(), roles: {} };
  const m = mapping.messages;
  const s = mapping.sessions;
  return {
    messagesTable: m.table,
    messages: { session: m.session, role: m.role, content: m.content, order: m.order ?? '', time: m.time ?? '', id: m.id ?? '', parent: m.parent ?? '' },
    useSessions: s !== undefined,
    sessionsTable: s?.table ?? '',
    sessions: { id: s?.id ?? '', title: s?.title ?? '', created: s?.created ?? '', updated: s?.updated ?? '' },
    roles: { ...(mapping.roles ?? {}) },
  };
}

/** The mapping the draft describes, or null while a required choice is missing. */
export function mappingOf(d: Draft): SqlMapping | null {
  const m = d.messages;
  if (!d.messagesTable || !m.session || !m.role || !m.content) return null;
  if (d.useSessions && (!d.sessionsTable || !d.sessions.id)) return null;
  const optional = <K extends string>(values: Record<K, string>, keys: readonly K[]) => Object.fromEntries(keys.filter((k) => values[k] !== '').map((k) => [k, values[k]]));
  return {
    ...(d.useSessions ? { sessions: { table: d.sessionsTable, id: d.sessions.id, ...optional(d.sessions, ['title', 'created', 'updated'] as const) } } : {}),
    messages: { table: d.messagesTable, session: m.session, role: m.role, content: m.content, ...optional(m, ['order', 'time', 'id', 'parent'] as const) },
    ...(Object.keys(d.roles).length ? { roles: d.roles } : {}),
  };
}

/** Columns chosen for one table kept when the user picks another table that has them too. */
export function keepColumns<K extends string>(values: Record<K, string>, table: MappingTable | undefined): Record<K, string> {
  const names = new Set(table?.columns.map((c) => c.name) ?? []);
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, names.has(v as string) ? v : ''])) as Record<K, string>;
}
