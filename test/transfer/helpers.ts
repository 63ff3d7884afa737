import { createHash } from 'node:crypto';
import { createWriteStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { finished } from 'node:stream/promises';
import type { FormatName } from '../../src/core/model/types';
import { openStore } from '../../src/core/catalog';
import { canonicalSession } from '../../src/core/transfer/canonical';
import { exportSessions } from '../../src/core/catalog';
import { type ExportOptions } from '../../src/core/transfer/export/export';
import { ImportPlan } from '../../src/core/transfer/import/plan';
import { NoteSet } from '../../src/core/transfer/import/report';
import type { TreeMode } from '../../src/core/transfer/import/linearize';
import { readInterchangeJsonl } from '../../src/core/transfer/interchange/read-jsonl';
import { layoutNamed } from '../../src/core/catalog';
import type { TransferSession } from '../../src/core/transfer/session';

/** A fixed clock for imports, so times the sources lack are filled the same way in every run. */
export const NOW = Date.UTC(2026, 10, 1, 12, 0, 0);

/** Where each layout's new store goes inside a folder (a file for SQLite, a folder for the JSONL tree). */
export function storePathIn(dir: string, format: FormatName): string {
  return format === 'jsonl-tree' ? join(dir, 'tree') : join(dir, 'store.db');
}

export async function exportStore(path: string, file: string, options: Partial<ExportOptions> = {}): Promise<void> {
  const source = openStore(path);
  const out = createWriteStream(file);
  try {
    await exportSessions([source], { format: 'jsonl', now: NOW, ...options }, out);
  } finally {
    source.close();
    out.end();
    await finished(out);
  }
}

export function readExport(file: string): TransferSession[] {
  return [...readInterchangeJsonl(file)];
}

/**
 * What a fresh store of `format` should hold after importing `sessions`: the same plan and projection
 * the import itself uses, against a store that has nothing yet. The round-trip tests compare this with
 * what the store's own reader gives back, which checks that every writer writes exactly what its
 * preview promised and every reader reads it so.
 */
export function expectedAfterImport(sessions: readonly TransferSession[], format: FormatName, tree: TreeMode = 'active', tenant: string | null = null): TransferSession[] {
  const layout = layoutNamed(format)!;
  const plan = new ImportPlan({
    layout,
    codec: layout.codec!,
    target: { has: () => false, begin() {}, write() {}, commit() {}, rollback() {}, close() {} },
    project: { now: NOW, tenant },
    onConflict: 'skip',
    tree,
  });
  const out: TransferSession[] = [];
  sessions.forEach((s, i) => {
    plan.add(s, new NoteSet());
    out.push(...plan.replay(s, i).map((p) => p.session));
  });
  return out;
}

/** Canonical sessions by id, for `toEqual` comparisons that name the session that differs. */
export function canonicalById(sessions: readonly TransferSession[], ids: boolean): Record<string, unknown> {
  return Object.fromEntries(sessions.map((s) => [s.id, canonicalSession(s, { ids })]));
}

/** Every file under a folder with the SHA-256 of its bytes: "byte-identical" made comparable. */
export function folderDigest(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(root, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(root);
  return out;
}
