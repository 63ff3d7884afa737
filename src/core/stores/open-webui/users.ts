import { sqlText } from '../../adapters/sqlite-common';
import type { SqliteDatabase } from '../../sqlite/open';
import { ident, pickColumn, readSchema } from '../../sqlite/schema';
import type { Notes } from '../../transfer/codec/codec';

/**
 * Who owns imported chats. Open WebUI shows a chat only to the user whose id is its `user_id`, so
 * every chat Arbor writes names a user the database has: the one the user chose (by id, email or
 * name), else the chat's own owner when it came from an Open WebUI that shares that user, else the
 * only user, else the first admin (Open WebUI makes its first user the admin) — said in the preview.
 */

export interface WebuiUser {
  id: string;
  name: string | null;
  email: string | null;
  role: string | null;
}

export function describeUser(u: WebuiUser): string {
  return u.name && u.email ? `${u.name} <${u.email}>` : (u.email ?? u.name ?? u.id);
}

export function readUsers(db: SqliteDatabase, path: string): WebuiUser[] {
  const schema = readSchema(db);
  const table = schema.tables.get('user');
  const id = table ? pickColumn(schema, 'user', ['id']) : null;
  if (!table || !id) {
    throw new Error(
      `${path} has no user table: Open WebUI shows a chat only to the user who owns it, so Arbor imports only into a webui.db with users (start Open WebUI and create its first account, then import).`,
    );
  }
  const col = (name: string) => {
    const c = pickColumn(schema, 'user', [name]);
    return c ? `u.${ident(c)}` : 'NULL';
  };
  const created = pickColumn(schema, 'user', ['created_at', 'timestamp']);
  const rows = db
    .prepare(`SELECT u.${ident(id)} AS id, ${col('name')} AS name, ${col('email')} AS email, ${col('role')} AS role FROM ${ident(table.name)} u ORDER BY ${created ? `u.${ident(created)}` : 'u.rowid'}, u.${ident(id)}`)
    .all() as Array<{ id: unknown; name: unknown; email: unknown; role: unknown }>;
  const users = rows.flatMap((r) => {
    const userId = sqlText(r.id);
    return userId ? [{ id: userId, name: sqlText(r.name), email: sqlText(r.email), role: sqlText(r.role) }] : [];
  });
  if (!users.length) {
    throw new Error(`${path} has no users yet: Open WebUI shows a chat only to the user who owns it (start Open WebUI and create its first account, then import).`);
  }
  return users;
}

/**
 * `chosen`: the owner the user named (the import's tenant); `inherited`: the chat's owner in the
 * Open WebUI it came from. A chosen owner the database does not have is an error, never a guess.
 */
export function pickOwner(users: readonly WebuiUser[], chosen: string | null, inherited: string | null, notes: Notes | null): WebuiUser {
  if (chosen !== null) {
    const wanted = chosen.trim();
    const found =
      users.find((u) => u.id === wanted) ?? users.find((u) => u.email !== null && u.email.toLowerCase() === wanted.toLowerCase()) ?? users.find((u) => u.name === wanted);
    if (found) return found;
    const known = users.slice(0, 10).map(describeUser).join(', ');
    throw new Error(`"${wanted}" is no user of this Open WebUI database; its users: ${known}${users.length > 10 ? ', …' : ''}`);
  }
  if (inherited !== null) {
    const same = users.find((u) => u.id === inherited);
    if (same) return same;
  }
  if (users.length === 1) return users[0];
  const admin = users.find((u) => u.role === 'admin') ?? users[0];
  notes?.warn(
    `The imported chats are filed under ${describeUser(admin)}${admin.role === 'admin' ? ', the first admin' : ', the first user'} (the database has ${users.length} users); name another user as their owner to file them elsewhere.`,
  );
  return admin;
}
