import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { READ_LIMITS } from '../files/limits';
import { readTextFile } from '../files/read';
import type { FormatName } from '../model/types';
import { atomicWriteFile } from './atomic-write';
import { TrashError } from './errors';

/**
 * One trash entry is a folder named by its id holding `manifest.json` and `files/`, the copies. The
 * manifest says where each copy came from, so an entry is restorable on its own, without Arbor's
 * memory of how it was made.
 */

export const MANIFEST_FILE = 'manifest.json';
export const FILES_DIR = 'files';

export interface TrashFile {
  /** Absolute path of the file in the store. */
  original: string;
  /** Path of the copy relative to the entry folder; null when the file did not exist (restore removes it). */
  copy: string | null;
  bytes: number;
  /**
   * 'sqlite' copies are restored through SQLite's backup API, 'file' copies by temp file + rename;
   * 'raw' copies are SQLite files copied byte for byte by a child process (a database and its hot
   * journal as a crashed writer left them, see hot-journal.ts), put back the same way.
   */
  kind: 'sqlite' | 'file' | 'raw';
}

export interface TrashManifest {
  version: 1;
  id: string;
  /** ISO 8601. */
  createdAt: string;
  storePath: string;
  format: FormatName;
  /** What the backup was taken before: 'delete-sessions', 'prune', 'restore', ... */
  operation: string;
  /** One line for people: what the operation did or was about to do. */
  summary: string;
  files: TrashFile[];
  /** Digest of the store's content right after the write (see storeDigest); restore warns when it changed since. */
  afterDigest?: string;
  /** The backup whose restore this entry makes undoable. */
  restoreOf?: string;
}

/** Sortable by time, unique without coordination: 20260601T120000123Z-9f2c41d0. */
export function newBackupId(now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${randomBytes(4).toString('hex')}`;
}

const ID_PATTERN = /^\d{8}T\d{9}Z-[0-9a-f]{8}$/;

/** Ids name folders: anything else (a path, "..") never reaches the file system. */
export function assertBackupId(id: string): void {
  if (!ID_PATTERN.test(id)) throw new TrashError(`"${id}" is not a backup id (they look like 20260601T120000123Z-9f2c41d0; see \`arbor trash list\`)`);
}

export function readManifest(entryDir: string): TrashManifest {
  const path = join(entryDir, MANIFEST_FILE);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readTextFile(path, { limit: READ_LIMITS.small, what: 'backup manifests' }));
  } catch (error) {
    throw new TrashError(`${path}: not a readable backup manifest (${(error as Error).message})`);
  }
  const m = parsed as Partial<TrashManifest>;
  if (m?.version !== 1 || typeof m.id !== 'string' || typeof m.storePath !== 'string' || !Array.isArray(m.files)) {
    throw new TrashError(`${path}: not a backup manifest Arbor knows (version ${String(m?.version)})`);
  }
  return m as TrashManifest;
}

export function writeManifest(entryDir: string, manifest: TrashManifest): void {
  atomicWriteFile(join(entryDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}
