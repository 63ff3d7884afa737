import { createHash, type Hash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { readFileBytes } from '../files/read';
import { openReader } from '../sqlite/reader';
import { ident } from '../sqlite/schema';
import type { TrashFile } from './manifest';

/**
 * A digest of what a store holds, not of its bytes: SQLite rewrites pages, checkpoints its WAL and
 * VACUUM renumbers rowids without changing content. Restore compares it to the digest taken right
 * after a cleanup to tell whether anyone wrote since; the tests use it for "restored equals original".
 */
export function storeDigest(files: readonly Pick<TrashFile, 'original' | 'kind'>[]): string {
  const hash = createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.original < b.original ? -1 : 1))) {
    hash.update(`${f.kind}\0${f.original}\0`);
    if (!existsSync(f.original)) hash.update('absent\0');
    else if (f.kind === 'sqlite') sqliteDigest(f.original, hash);
    // A raw copy is of SQLite files (see manifest.ts); only SQLite reads those, so only their size counts.
    else if (f.kind === 'raw') hash.update(`${statSync(f.original).size}\0`);
    else hash.update(readFileBytes(f.original));
  }
  return hash.digest('hex');
}

/** Every table's rows, ordered by all their columns (rowids are not content), with each value's type. */
export function sqliteDigest(path: string, hash: Hash = createHash('sha256')): Hash {
  const reader = openReader(path);
  const db = reader.db;
  try {
    const tables = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as Array<{ name: string; sql: string }>;
    for (const t of tables) {
      hash.update(`table\0${t.name}\0${t.sql}\0`);
      const columns = (db.prepare('SELECT count(*) FROM pragma_table_info(?)').pluck().get(t.name) as number) || 1;
      const order = Array.from({ length: columns }, (_, i) => i + 1).join(', ');
      const rows = db.prepare(`SELECT * FROM ${ident(t.name)} ORDER BY ${order}`).raw().iterate() as Iterable<unknown[]>;
      for (const row of rows) {
        for (const value of row) hash.update(valueKey(value));
        hash.update('\n');
      }
    }
  } finally {
    reader.close();
  }
  return hash;
}

function valueKey(value: unknown): string | Buffer {
  if (value === null) return 'n\0';
  if (Buffer.isBuffer(value)) return Buffer.concat([Buffer.from(`b${value.length}\0`), value]);
  if (typeof value === 'string') return `s${Buffer.byteLength(value)}\0${value}`;
  return `${typeof value}\0${String(value)}\0`;
}
