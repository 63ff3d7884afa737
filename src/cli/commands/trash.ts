import { getBackup, listTrash, purgeBackup, restoreBackup, type TrashManifest } from '../../core/safety/index';
import { renderTable, shortTime } from '../table';

/** `arbor trash list|restore ID|purge ID [--json]`: the backups every cleanup takes. */

const bytesOf = (m: TrashManifest) => m.files.reduce((sum, f) => sum + f.bytes, 0);

function entryJson(m: TrashManifest) {
  return { id: m.id, createdAt: m.createdAt, storePath: m.storePath, format: m.format, operation: m.operation, summary: m.summary, bytes: bytesOf(m), files: m.files, restoreOf: m.restoreOf ?? null };
}

export function trashListCommand(options: { json?: boolean }, out: (text: string) => void): void {
  const { entries, broken } = listTrash();
  if (options.json) {
    out(JSON.stringify({ entries: entries.map(entryJson), broken }, null, 2));
    return;
  }
  if (entries.length === 0 && broken.length === 0) {
    out('The trash is empty.');
    return;
  }
  const rows = entries.map((m) => [m.id, shortTime(m.createdAt), m.operation, m.storePath, bytesOf(m), m.summary]);
  const lines = [renderTable(['ID', 'CREATED', 'OPERATION', 'STORE', 'BYTES', 'SUMMARY'], rows, [0, 0, 0, 60, 0, 80])];
  for (const b of broken) lines.push(`! ${b.id}: ${b.error} (remove it with \`arbor trash purge ${b.id}\`)`);
  out(lines.join('\n'));
}

export async function trashRestoreCommand(id: string, options: { json?: boolean }, out: (text: string) => void): Promise<void> {
  const result = await restoreBackup(id);
  if (options.json) {
    out(JSON.stringify({ restored: entryJson(result.restored), undo: result.undo.id, changedSince: result.changedSince }, null, 2));
    return;
  }
  const lines = [`Restored ${result.restored.storePath} from backup ${id} (${result.restored.summary}).`];
  if (result.changedSince) lines.push('! The store had changed since that cleanup (the backend kept writing); those later changes were rolled back too.');
  lines.push(`The state before this restore is backup ${result.undo.id}. Undo with: arbor trash restore ${result.undo.id}`);
  out(lines.join('\n'));
}

export function trashPurgeCommand(id: string, options: { json?: boolean }, out: (text: string) => void): void {
  let summary: string | null = null;
  try {
    summary = getBackup(id).summary;
  } catch {
    // A broken entry is purged all the same.
  }
  purgeBackup(id);
  out(options.json ? JSON.stringify({ purged: id }) : `Purged backup ${id}${summary ? ` (${summary})` : ''}.`);
}
