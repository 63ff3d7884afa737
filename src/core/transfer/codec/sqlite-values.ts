import type { StoreAdapter } from '../../adapters/adapter';
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { lockWaitMs } from '../../safety/lock-wait';
import { holdsLayoutOnConnection } from '../../scan/sqlite-source';
import { openWritable, type SqliteDatabase } from '../../sqlite/open';
import { openReadOnly } from '../../sqlite/reader';
import type { EpochMs } from '../../model/types';
import type { LayoutTarget } from './codec';

/** Values moving between SQLite rows and JSON, and the connections the SQLite codecs use. */

/** A column value as JSON can carry it: BLOBs as their UTF-8 text (as the adapters read them), big integers as numbers. */
export function jsonSafe(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return String(value);
}

/** A value from an `original` record as something SQLite can bind; anything else is unusable (null). */
export function bindable(value: unknown): string | number | null | undefined {
  if (value === null) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  return undefined;
}

/** Years 1970–9999: the civil date by integer arithmetic; elsewhere (or beyond Date's range) Date decides. */
const FAST_LIMIT = Date.UTC(10000, 0, 1);
const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/**
 * SQLite's own text form, `YYYY-MM-DD HH:MM:SS` in UTC (what CURRENT_TIMESTAMP writes); null for a
 * time no date can show. Called for every message an export or import touches, so the common range
 * skips Date and its string building (H. Hinnant's days-to-civil algorithm).
 */
export function sqlTime(ms: EpochMs | null): string | null {
  if (ms === null) return null;
  if (!(ms >= 0 && ms < FAST_LIMIT)) {
    const d = new Date(ms);
    return Number.isNaN(d.getTime()) ? null : d.toISOString().slice(0, 19).replace('T', ' ');
  }
  const seconds = Math.floor(ms / 1000);
  const days = Math.floor(seconds / 86400);
  const rest = seconds - days * 86400;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${year}-${two(month)}-${two(day)} ${two(Math.floor(rest / 3600))}:${two(Math.floor((rest % 3600) / 60))}:${two(rest % 60)}`;
}

/** ISO 8601 with milliseconds and Z; null for a time no date can show. */
export function isoTime(ms: EpochMs | null): string | null {
  if (ms === null) return null;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export const seconds = (ms: EpochMs): number => Math.floor(ms / 1000);

/** The exporter's second, read-only connection for the layout's own session rows. */
export function openRecordsDb(path: string): SqliteDatabase {
  return openReadOnly(path);
}

/**
 * The importer's connection (read-only for a dry run): waits for a backend's lock as long as the
 * other writers do, and never creates a store that vanished (new stores are made by createSqliteStore).
 */
export function openTargetDb(path: string, readOnly = false): SqliteDatabase {
  const db = readOnly ? openReadOnly(path) : openWritable(path, { mustExist: true });
  db.pragma(`busy_timeout = ${Math.round(lockWaitMs())}`);
  return db;
}

export class TargetChangedError extends Error {
  override name = 'TargetChangedError';
}

/**
 * One transaction for a whole import. IMMEDIATE takes the write lock at the start, so a backend that
 * writes meanwhile waits (or makes us wait) instead of failing the import halfway. Right after it the
 * file is checked, on this connection, to still be a store of the layout being written: a path
 * replaced meanwhile (by another file, another layout) is refused before anything is written.
 */
export class SqliteTransaction {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly path: string,
    private readonly reader: StoreAdapter,
  ) {}

  begin(): void {
    this.db.exec('BEGIN IMMEDIATE');
    if (!holdsLayoutOnConnection(this.db, this.path, this.reader)) {
      this.db.exec('ROLLBACK');
      throw new TargetChangedError(`${this.path} is no longer a ${this.reader.format} store; nothing was written`);
    }
  }

  commit(): void {
    this.db.exec('COMMIT');
  }

  rollback(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
  }
}

/**
 * A new, empty SQLite store with the layout's DDL (an import that fails removes it again), at a path
 * where nothing exists: it is made beside the path and hard-linked into place, which fails if
 * anything appeared there meanwhile, so an existing file is never turned into a database. (File
 * systems without hard links get a rename after one more check.)
 */
export function createSqliteStore(path: string, ddl: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.arbor-tmp`);
  try {
    const db = openWritable(temp);
    try {
      db.exec(ddl);
    } finally {
      db.close();
    }
    try {
      linkSync(temp, path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new TargetExistsError(`${path} appeared while the new store was being made; nothing was written there`);
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') throw error;
      renameNoReplace(temp, path);
    }
  } finally {
    rmSync(temp, { force: true });
  }
}

export class TargetExistsError extends Error {
  override name = 'TargetExistsError';
}

function renameNoReplace(temp: string, path: string): void {
  if (existsSync(path)) throw new TargetExistsError(`${path} appeared while the new store was being made; nothing was written there`);
  renameSync(temp, path);
}

/** What a SQLite layout's import target adds to the shared connection and transaction handling. */
export type SqliteTargetParts = Pick<LayoutTarget, 'has' | 'write'> & Partial<Pick<LayoutTarget, 'check'>>;

/**
 * The import target of a SQLite layout: one connection (read-only for a dry run) and one transaction
 * around every write; the layout supplies only its lookups and its row writes.
 */
export function openSqliteTarget(reader: StoreAdapter, path: string, options: { dryRun?: boolean }, parts: (db: SqliteDatabase) => SqliteTargetParts): LayoutTarget {
  const db = openTargetDb(path, options.dryRun === true);
  if (!holdsLayoutOnConnection(db, path, reader)) {
    db.close();
    throw new TargetChangedError(`${path} is not a ${reader.format} store; nothing was written`);
  }
  const transaction = new SqliteTransaction(db, path, reader);
  return {
    ...parts(db),
    begin: () => transaction.begin(),
    commit: () => transaction.commit(),
    rollback: () => transaction.rollback(),
    close: () => db.close(),
  };
}
