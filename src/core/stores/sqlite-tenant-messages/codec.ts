import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StoreSource } from '../../adapters/adapter';
import { TENANT_MESSAGES_DDL } from './ddl';
import { sqlText } from '../../adapters/sqlite-common';
import type { MessageNode } from '../../model/types';
import { sameJson } from '../../transfer/canonical';
import type { TransferMessage, TransferSession } from '../../transfer/session';
import type { LayoutCodec, LayoutTarget, Notes, ProjectContext, SessionRecords } from '../../transfer/codec/codec';
import { LOST } from '../../transfer/codec/lost';
import { newestTime, noteDroppedFields, projectMessages, roleText, sessionTimes, textField, linearSession } from '../../transfer/codec/project-common';
import { sqliteTenantMessagesAdapter } from './reader';
import { bindable, createSqliteStore, isoTime, jsonSafe, openRecordsDb, openSqliteTarget } from '../../transfer/codec/sqlite-values';
import { flattenToText } from '../../transfer/codec/text-content';

/**
 * FORMATS.md §4 (seed 003, Drizzle): sessions belong to a tenant (required) and maybe a user; messages
 * are text rows with their own text ids (a primary key across the whole table), read in `created_at`
 * order, then rowid. Times are ISO 8601. Roles are system, user and assistant.
 */

const FORMAT = 'sqlite-tenant-messages' as const;
const KEPT_FIELDS = ['tenant', 'user', 'traits'];
const DEFAULT_TENANT = 'imported';

interface MessageRow {
  role: string | number | null;
  content: string | number | null;
  created_at: string | number | null;
}

function renderMessage(m: Pick<TransferMessage, 'kind' | 'content' | 'timestamp'>): MessageRow {
  return { role: m.kind, content: flattenToText(m.content, null), created_at: isoTime(m.timestamp) };
}

function openRecords(source: StoreSource): SessionRecords {
  const db = openRecordsDb(source.path);
  const select = db.prepare('SELECT tenant_id, user_id, traits, created_at FROM sessions WHERE id = ?');
  return {
    session(loaded) {
      const s = loaded.session;
      const row = select.get(s.id) as Record<string, unknown> | undefined;
      // Messages without a session row: the session has no tenant, user or traits of its own.
      if (!row) return { metadata: { tenant: null, user: null, traits: null } };
      const metadata = { tenant: sqlText(row.tenant_id), user: sqlText(row.user_id), traits: sqlText(row.traits) };
      const record = { tenant_id: jsonSafe(row.tenant_id), user_id: jsonSafe(row.user_id), traits: jsonSafe(row.traits), created_at: jsonSafe(row.created_at) };
      const rendered = { tenant_id: metadata.tenant, user_id: metadata.user, traits: metadata.traits, created_at: isoTime(s.createdAt) };
      return { metadata, ...(sameJson(record, rendered) ? {} : { original: record }) };
    },
    messageOriginal(node: MessageNode) {
      const raw = node.raw as Record<string, unknown>;
      const record = { role: jsonSafe(raw.role), content: jsonSafe(raw.content), created_at: jsonSafe(raw.created_at) };
      return sameJson(record, renderMessage(node)) ? undefined : record;
    },
    close: () => db.close(),
  };
}

function tenantRole(m: TransferMessage, notes: Notes) {
  switch (m.role) {
    case 'system':
    case 'user':
    case 'assistant':
      return roleText(m.role);
    case 'tool':
      notes.lost(LOST.toolAsUser);
      return roleText('user');
    default:
      notes.lost(LOST.otherRoles);
      return roleText('user');
  }
}

function project(s: TransferSession, context: ProjectContext, notes: Notes): TransferSession {
  const same = s.source.format === FORMAT;
  const keepTimes = same && s.original !== undefined;
  const { createdAt } = sessionTimes(s, context);
  if (!same) noteDroppedFields(s.metadata, KEPT_FIELDS, notes);
  if (s.branches.length) notes.lost(LOST.namedBranches);
  const messages = projectMessages(
    s,
    same,
    { role: tenantRole, time: 'ms', monotonic: true, content: 'text', metadata: false, linear: true },
    createdAt,
    notes,
  );
  // The reader takes the last update from the newest message; a session's own differing time is lost.
  const updatedAt = newestTime(messages) ?? createdAt;
  if (!same && s.updatedAt !== null && s.updatedAt !== updatedAt) notes.lost(LOST.updatedAt);
  let tenant = context.tenant ?? textField(s.metadata.tenant);
  if (tenant === null) {
    notes.lost(LOST.tenant);
    tenant = DEFAULT_TENANT;
  }
  const traits = s.metadata.traits;
  return linearSession(s, { createdAt, updatedAt, metadata: { tenant, user: textField(s.metadata.user), traits: typeof traits === 'string' || traits == null ? (traits ?? null) : JSON.stringify(traits) }, messages }, keepTimes);
}

function openTarget(path: string, options: { dryRun?: boolean } = {}): LayoutTarget {
  return openSqliteTarget(sqliteTenantMessagesAdapter, path, options, (db) => {
    const exists = db.prepare('SELECT EXISTS (SELECT 1 FROM sessions WHERE id = @id) OR EXISTS (SELECT 1 FROM messages WHERE session_id = @id)').pluck();
    const idTaken = db.prepare('SELECT 1 FROM messages WHERE id = ?').pluck();
    const idTakenElsewhere = db.prepare('SELECT 1 FROM messages WHERE id = ? AND session_id <> ?').pluck();
    const removeMessages = db.prepare('DELETE FROM messages WHERE session_id = ?');
    const removeSession = db.prepare('DELETE FROM sessions WHERE id = ?');
    const insertSession = db.prepare('INSERT INTO sessions (id, tenant_id, user_id, traits, created_at) VALUES (?, ?, ?, ?, ?)');
    const insertMessage = db.prepare('INSERT INTO messages (id, session_id, role, content, created_at) VALUES (?, ?, ?, ?, ?)');
    // Ids the preview has handed out already: the same run must not count one free id twice.
    const planned = new Set<string>();

    /** Message ids are unique across sessions: a taken one gets the session id in front, then a number. */
    const freeId = (id: string, sessionId: string, taken: (id: string) => boolean): string => {
      if (!taken(id)) return id;
      let candidate = `${sessionId}:${id}`;
      for (let n = 2; taken(candidate); n++) candidate = `${sessionId}:${id}:${n}`;
      return candidate;
    };

    return {
      has: (id) => exists.get({ id }) === 1,
      check(s, notes) {
        let renamed = false;
        for (const m of s.messages) {
          const id = freeId(m.id, s.id, (x) => planned.has(x) || idTakenElsewhere.get(x, s.id) !== undefined);
          if (id !== m.id) renamed = true;
          planned.add(id);
        }
        if (renamed) notes.lost(LOST.takenIds);
      },
      write(s, replace) {
        if (replace) {
          // The cascade fires only with foreign keys on; delete the messages either way.
          removeMessages.run(s.id);
          removeSession.run(s.id);
        }
        const created = (s.original && bindable(s.original.created_at)) ?? isoTime(s.createdAt);
        insertSession.run(s.id, s.metadata.tenant, s.metadata.user, s.metadata.traits, created);
        for (const m of s.messages) {
          const row = (m.original as MessageRow | undefined) ?? renderMessage(m);
          const id = freeId(m.id, s.id, (x) => idTaken.get(x) !== undefined);
          insertMessage.run(id, s.id, bindable(row.role) ?? m.kind, bindable(row.content) ?? '', bindable(row.created_at) ?? isoTime(m.timestamp) ?? isoTime(s.createdAt));
        }
      },
    };
  });
}

export const sqliteTenantMessagesCodec: LayoutCodec = {
  format: FORMAT,
  openRecords,
  takesTenant: true,
  createStore(path) {
    mkdirSync(dirname(path), { recursive: true });
    createSqliteStore(path, TENANT_MESSAGES_DDL);
  },
  project,
  openTarget,
};
