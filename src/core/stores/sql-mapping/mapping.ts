import type { SqliteSchema, SqliteTable } from '../../sqlite/schema';

/**
 * A column mapping (docs/formats/sql-mapping.md): which table and columns of an unknown SQLite file
 * hold the messages (and, optionally, the sessions), and what its role values mean. Users write one
 * as a JSON file (`--mapping FILE`) or build one in the app's "Map columns…" dialog; both are checked
 * here, first for their shape, then against the file, and every problem is named with what exists.
 */

export const MAPPED_ROLES = ['user', 'assistant', 'system', 'tool'] as const;
export type MappedRole = (typeof MAPPED_ROLES)[number];

export interface SessionsMapping {
  table: string;
  id: string;
  title?: string;
  created?: string;
  updated?: string;
}

export interface MessagesMapping {
  table: string;
  /** The column naming the session a message belongs to. */
  session: string;
  role: string;
  content: string;
  /** The column that orders a session's messages (else `time`, else the row order). */
  order?: string;
  time?: string;
  /** With `parent`: the message's own id, for trees. */
  id?: string;
  parent?: string;
}

export interface SqlMapping {
  sessions?: SessionsMapping;
  messages: MessagesMapping;
  /** Stored role values and what they mean; values Arbor knows (user, assistant, human, ai, …) need none. */
  roles?: Record<string, MappedRole>;
}

const SESSION_KEYS = { required: ['table', 'id'], optional: ['title', 'created', 'updated'] } as const;
const MESSAGE_KEYS = { required: ['table', 'session', 'role', 'content'], optional: ['order', 'time', 'id', 'parent'] } as const;
const TOP_KEYS = ['sessions', 'messages', 'roles'];

export class MappingError extends Error {
  override name = 'MappingError';
  constructor(readonly problems: string[]) {
    super(`the column mapping does not fit: ${problems.join('; ')}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

function readPart(value: unknown, name: string, keys: { required: readonly string[]; optional: readonly string[] }, problems: string[]): Record<string, string> | null {
  if (!isObject(value)) {
    problems.push(`"${name}" must be an object with ${list(keys.required)}${keys.optional.length ? ` (and optionally ${list(keys.optional)})` : ''}`);
    return null;
  }
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (![...keys.required, ...keys.optional].includes(key)) {
      problems.push(`${name}.${key} is not a key of a mapping (${name} has ${list([...keys.required, ...keys.optional])})`);
      continue;
    }
    if (v === undefined || v === null || v === '') continue;
    if (typeof v !== 'string') problems.push(`${name}.${key} must be a table or column name (a string), not ${typeof v}`);
    else out[key] = v;
  }
  for (const key of keys.required) if (out[key] === undefined) problems.push(`${name}.${key} is required`);
  return out;
}

/** The mapping in `value` (parsed JSON), or a MappingError naming every problem with its shape. */
export function parseMapping(value: unknown): SqlMapping {
  const problems: string[] = [];
  if (!isObject(value)) throw new MappingError(['a mapping is a JSON object with "messages" (and optionally "sessions" and "roles")']);
  for (const key of Object.keys(value)) if (!TOP_KEYS.includes(key)) problems.push(`"${key}" is not a key of a mapping (it has ${list(TOP_KEYS)})`);
  const messages = readPart(value.messages, 'messages', MESSAGE_KEYS, problems);
  const sessions = value.sessions === undefined || value.sessions === null ? null : readPart(value.sessions, 'sessions', SESSION_KEYS, problems);
  const roles: Record<string, MappedRole> = {};
  if (value.roles !== undefined && value.roles !== null) {
    if (!isObject(value.roles)) problems.push('"roles" must be an object of stored value → "user", "assistant", "system" or "tool"');
    else {
      for (const [stored, role] of Object.entries(value.roles)) {
        if (typeof role === 'string' && (MAPPED_ROLES as readonly string[]).includes(role)) roles[stored] = role as MappedRole;
        else problems.push(`roles["${stored}"] is ${JSON.stringify(role)}; a role is one of ${list(MAPPED_ROLES)}`);
      }
    }
  }
  if (messages && messages.parent !== undefined && messages.id === undefined) problems.push('messages.parent needs messages.id: a parent names another message by its id');
  if (problems.length || !messages) throw new MappingError(problems);
  return {
    ...(sessions ? { sessions: sessions as unknown as SessionsMapping } : {}),
    messages: messages as unknown as MessagesMapping,
    ...(Object.keys(roles).length ? { roles } : {}),
  };
}

/** The mapping's tables and columns as the file declares them (names matched without regard to case). */
export interface BoundMapping {
  mapping: SqlMapping;
  messages: { table: string } & Record<keyof MessagesMapping, string | undefined>;
  sessions: ({ table: string } & Record<keyof SessionsMapping, string | undefined>) | null;
}

function bindTable(schema: SqliteSchema, part: string, name: string, problems: string[]): SqliteTable | null {
  const table = schema.tables.get(name.toLowerCase());
  if (!table) {
    const tables = [...schema.tables.values()].map((t) => t.name);
    problems.push(`${part}.table: the file has no table "${name}" (its tables: ${tables.length ? list(tables) : 'none'})`);
  }
  return table ?? null;
}

function bindColumn(table: SqliteTable, part: string, key: string, name: string | undefined, problems: string[]): string | undefined {
  if (name === undefined) return undefined;
  const found = table.columns.find((c) => c.toLowerCase() === name.toLowerCase());
  if (!found) problems.push(`${part}.${key}: table "${table.name}" has no column "${name}" (its columns: ${list(table.columns)})`);
  return found;
}

/** The mapping checked against the file: every table and column it names must be there. */
export function bindMapping(mapping: SqlMapping, schema: SqliteSchema): BoundMapping {
  const problems: string[] = [];
  const m = mapping.messages;
  const mt = bindTable(schema, 'messages', m.table, problems);
  const s = mapping.sessions;
  const st = s ? bindTable(schema, 'sessions', s.table, problems) : null;
  const messages = mt
    ? {
        table: mt.name,
        session: bindColumn(mt, 'messages', 'session', m.session, problems),
        role: bindColumn(mt, 'messages', 'role', m.role, problems),
        content: bindColumn(mt, 'messages', 'content', m.content, problems),
        order: bindColumn(mt, 'messages', 'order', m.order, problems),
        time: bindColumn(mt, 'messages', 'time', m.time, problems),
        id: bindColumn(mt, 'messages', 'id', m.id, problems),
        parent: bindColumn(mt, 'messages', 'parent', m.parent, problems),
      }
    : null;
  const sessions =
    s && st
      ? {
          table: st.name,
          id: bindColumn(st, 'sessions', 'id', s.id, problems),
          title: bindColumn(st, 'sessions', 'title', s.title, problems),
          created: bindColumn(st, 'sessions', 'created', s.created, problems),
          updated: bindColumn(st, 'sessions', 'updated', s.updated, problems),
        }
      : null;
  if (problems.length || !messages) throw new MappingError(problems);
  return { mapping, messages, sessions };
}

/** The mapping from parsed JSON, checked against the file; a MappingError says everything that is wrong. */
export function mappingFor(value: unknown, schema: SqliteSchema): BoundMapping {
  return bindMapping(parseMapping(value), schema);
}
