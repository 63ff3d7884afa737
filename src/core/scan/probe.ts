import { readdirSync, type Dirent } from 'node:fs';
import { FileAccessError } from '../files/errors';
import { statRegularFile } from '../files/kind';
import { readFileHead } from '../files/read';
import { sidecarWhat, sqliteSidecarOwner } from '../files/sidecar';
import type { StoreWarning } from '../model/types';
import { sqliteFileKind } from '../sqlite/probe';
import type { SqliteReader } from '../sqlite/reader';
import { readSchema, type SqliteSchema } from '../sqlite/schema';
import { openStoreReader, type HotJournalOptions } from './hot-journal';

/**
 * What detection looks at. A SQLite probe carries the open reader and its schema, so the adapter
 * that claims it reuses the connection instead of opening the file twice.
 *
 * A file's kind is decided without ever opening an `fs` descriptor on a SQLite database: stat says
 * whether it is a regular file, SQLite itself (lock-free, see sqlite/probe.ts) whether it is a
 * database, and only a file SQLite calls "not a database" is read as bytes.
 */
export type Probe =
  | { kind: 'sqlite'; path: string; db: SqliteReader['db']; schema: SqliteSchema; reader: SqliteReader; warnings: StoreWarning[] }
  | { kind: 'directory'; path: string; entries: Dirent[] }
  | { kind: 'file'; path: string; head: Buffer };

const HEAD_BYTES = 4096;

export interface ProbeOptions extends HotJournalOptions {
  /** Bytes of a plain file's start to keep for detection. */
  headBytes?: number;
}

/** Opens a file's probe: SQLite files get a reader and their schema. */
export function probeFile(path: string, options: ProbeOptions = {}): Probe {
  const owner = sqliteSidecarOwner(path);
  if (owner) throw new FileAccessError(path, 'sqlite-file', `${path} is the SQLite ${sidecarWhat(path)} of ${owner}, not a store of its own; open ${owner}`);
  const stats = statRegularFile(path);
  const kind = sqliteFileKind(path, stats.size);
  if (kind === 'database') return probeSqlite(path, options);
  return { kind: 'file', path, head: kind === 'empty' ? Buffer.alloc(0) : readFileHead(path, options.headBytes ?? HEAD_BYTES) };
}

/** A probe of a path already known to be a SQLite database (a source reopening, a reload). */
export function probeSqlite(path: string, options: HotJournalOptions = {}): Extract<Probe, { kind: 'sqlite' }> {
  const { reader, warnings } = openStoreReader(path, options);
  try {
    return { kind: 'sqlite', path, db: reader.db, schema: readSchema(reader.db), reader, warnings };
  } catch (error) {
    reader.close();
    throw error;
  }
}

export function probeDirectory(path: string): Probe {
  return { kind: 'directory', path, entries: readdirSync(path, { withFileTypes: true }) };
}

export function releaseProbe(probe: Probe): void {
  if (probe.kind === 'sqlite' && probe.db.open) probe.reader.close();
}
