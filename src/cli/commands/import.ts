import { plural } from '../../core/model/plural';
import type { FormatName } from '../../core/model/types';
import { importSessions } from '../../core/catalog';
import type { ConflictMode, ImportProgress, ImportReport, TreeMode } from '../../core/transfer';

export interface ImportCommandOptions {
  into: string;
  layout?: FormatName;
  onConflict: ConflictMode;
  tree: TreeMode;
  tenant?: string;
  dryRun?: boolean;
  json?: boolean;
}

/**
 * `arbor import FILE_OR_STORE --into PATH [--layout NAME] [--on-conflict …] [--tree …] [--tenant T]
 * [--dry-run] [--json]`. The preview and the result are one report: with --json exactly the counts,
 * what is lost and the warnings first, then the details.
 */
export async function importCommand(input: string, options: ImportCommandOptions, out: (text: string) => void): Promise<void> {
  const showProgress = !options.json && process.stderr.isTTY;
  const report = await importSessions(input, {
    into: options.into,
    ...(options.layout ? { layout: options.layout } : {}),
    onConflict: options.onConflict,
    tree: options.tree,
    tenant: options.tenant ?? null,
    dryRun: options.dryRun === true,
    ...(showProgress ? { onProgress: progressLine } : {}),
  });
  if (showProgress) process.stderr.write('\r\x1b[K');
  out(options.json ? JSON.stringify(reportJson(report), null, 2) : renderReport(report));
}

export function reportJson(r: ImportReport) {
  const { added, skipped, renamed, replaced, lost, warnings, ...details } = r;
  return { added, skipped, renamed, replaced, lost, warnings, ...details };
}

function renderReport(r: ImportReport): string {
  const lines: string[] = [];
  if (r.dryRun) lines.push('Dry run: nothing was written. The import would do this:');
  lines.push(`${r.target.path} (${r.target.format}${r.target.created ? ', new store' : ''}) from ${r.source.path} (${r.source.kind})`);
  lines.push(`  added ${r.added}, renamed ${r.renamed}, replaced ${r.replaced}, skipped ${r.skipped}; ${plural(r.messages, 'message')}`);
  for (const s of r.sessions) {
    if (s.action === 'added' && !s.reason) continue;
    lines.push(`  ${s.action.padEnd(8)} ${s.sourceId}${s.id !== s.sourceId ? ` → ${s.id}` : ''}${s.reason ? ` (${s.reason})` : ''}`);
  }
  if (r.lost.length) {
    lines.push('', 'The target layout cannot keep:');
    for (const l of r.lost) lines.push(`  - ${l}`);
  }
  if (r.warnings.length) {
    lines.push('', 'Warnings:');
    for (const w of r.warnings) lines.push(`  ! ${w}`);
  }
  if (r.backup) lines.push('', `Backup ${r.backup.id} was taken first; undo with \`arbor trash restore ${r.backup.id}\`.`);
  return lines.join('\n');
}

function progressLine(p: ImportProgress): void {
  process.stderr.write(`\r${p.phase === 'check' ? 'checking' : 'writing'} ${p.done}${p.total !== null ? `/${p.total}` : ''} ${p.total === 1 ? 'session' : 'sessions'}`);
}
