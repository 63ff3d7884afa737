import { existsSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ApiHandlers } from '../../shared/contract';
import type { MappingPreview, MappingTable, OpenResult, SqlMapping } from '../../shared/dto';
import { ApiError } from '../../shared/errors';
import { plainText } from '../model/content';
import { sqliteFileKind } from '../sqlite/probe';
import { openReadOnly, type SqliteDatabase } from '../sqlite/open';
import { ident, readSchema } from '../sqlite/schema';
import { MappingError, mappingFor, parseMapping } from '../stores/sql-mapping/mapping';
import { openMapped } from '../stores/sql-mapping/reader';
import { suggestMapping } from '../stores/sql-mapping/suggest';
import type { SavedMappings } from '../userdata/saved-mappings';

type MappingCalls = Pick<ApiHandlers, 'mapping.inspect' | 'mapping.preview' | 'mapping.save'>;

/** What the mapping calls need of the service: the saved mappings, and opening a file as a source. */
export interface MappingContext {
  /** Read at call time: the service builds its handlers before its constructor has run. */
  saved(): SavedMappings;
  /** Opens (or reopens, when it is open already) the file as a source, now that it has a mapping. */
  openMapped(path: string): OpenResult;
}

const PREVIEW_SESSIONS = 5;
const PREVIEW_MESSAGES = 8;
const PREVIEW_TEXT = 300;

/**
 * "Map columns…" over the API: the dialog inspects an unknown SQLite file, previews the sessions a
 * mapping would show as the user picks columns (every call opens the file read-only and closes it),
 * and saves the mapping, which opens the file as a source. The mapping is checked against the file
 * by the layout that reads mapped files; what does not fit comes back as problems, not errors, so
 * the dialog can show them beside the choices.
 */
export function mappingCalls(ctx: MappingContext): MappingCalls {
  return {
    'mapping.inspect': ({ path }) =>
      withFile(path, (db, full) => {
        const schema = readSchema(db);
        const tables: MappingTable[] = [...schema.tables.values()].map((t) => ({
          name: t.name,
          columns: (db.prepare('SELECT name, type FROM pragma_table_info(?)').all(t.name) as Array<{ name: string; type: string }>).map((c) => ({ name: c.name, type: c.type })),
          rows: Number(db.prepare(`SELECT count(*) FROM ${ident(t.name)}`).pluck().get()),
        }));
        const stored = ctx.saved().get(full);
        let saved: SqlMapping | null = null;
        let savedProblems: string[] = [];
        if (stored !== undefined) {
          try {
            saved = parseMapping(stored);
            mappingFor(saved, schema);
          } catch (error) {
            if (!(error instanceof MappingError)) throw error;
            savedProblems = error.problems;
          }
        }
        return { path: full, tables, saved, savedProblems, suggested: suggestMapping(schema) };
      }),
    'mapping.preview': ({ path, mapping }) => withFile(path, (db, full) => preview(db, full, mapping)),
    'mapping.save': ({ path, mapping }) => {
      const full = withFile(path, (db, real) => {
        try {
          mappingFor(mapping, readSchema(db));
        } catch (error) {
          if (error instanceof MappingError) throw new ApiError('invalid-arguments', `The mapping does not fit ${real}: ${error.problems.join('; ')}`);
          throw error;
        }
        return real;
      });
      ctx.saved().set(full, mapping);
      return ctx.openMapped(full);
    },
  };
}

function preview(db: SqliteDatabase, path: string, mapping: SqlMapping): MappingPreview {
  const empty: MappingPreview = { problems: [], sessionCount: 0, sessions: [], messages: [], roleValues: [], warnings: [] };
  let source;
  try {
    source = openMapped(path, db, readSchema(db), mapping);
  } catch (error) {
    if (error instanceof MappingError) return { ...empty, problems: error.problems };
    throw error;
  }
  const described = source.describe();
  const page = source.listSessions({ limit: PREVIEW_SESSIONS, sort: 'updated', direction: 'desc' });
  const first = page.sessions[0];
  const loaded = first ? source.loadSession(first.id, PREVIEW_MESSAGES) : null;
  return {
    problems: [],
    sessionCount: page.total,
    sessions: page.sessions.map(({ id, title, messageCount, createdAt, updatedAt, status }) => ({ id, title, messageCount, createdAt, updatedAt, status })),
    messages: (loaded?.messages ?? []).map((m) => {
      const text = plainText(m.content) || (m.content.length ? `(${m.content.map((b) => b.type).join(', ')})` : '');
      return { id: m.id, parentId: m.parentId, role: m.role, kind: m.kind, text: text.length > PREVIEW_TEXT ? `${text.slice(0, PREVIEW_TEXT - 1)}…` : text, timestamp: m.timestamp };
    }),
    roleValues: source.distinctRoles(),
    warnings: [...described.warnings, ...(loaded?.warnings ?? [])].slice(0, 20),
  };
}

/** Runs `read` on a read-only handle of the SQLite file at `path` (its real path given too), closed after. */
function withFile<T>(path: string, read: (db: SqliteDatabase, full: string) => T): T {
  const full = resolve(path);
  if (!existsSync(full) || !statSync(full).isFile()) throw new ApiError('not-found', `${full}: no such file`);
  // Opened through SQLite only, never read with fs: a plain read of a database file this process
  // writes elsewhere would drop its locks (see the brief on POSIX locks).
  // SQLite itself says whether the file is a database (lock-free), before a reader is opened on it.
  if (sqliteFileKind(full, statSync(full).size) !== 'database') throw new ApiError('invalid-arguments', `${full} is not a SQLite file; only SQLite files can be mapped.`);
  const db = openReadOnly(full);
  try {
    return read(db, realpathSync(full));
  } finally {
    db.close();
  }
}
