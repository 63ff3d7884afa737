import { resolve } from 'node:path';
import { discoverSources, exportSessions, exportToFile } from '../../core/catalog';
import type { ExportFormat, ExportProgress } from '../../core/transfer';
import { CliError } from '../errors';
import { mappingOptions } from '../mapping-option';

export interface ExportCommandOptions {
  format: ExportFormat;
  out?: string;
  allBranches?: boolean;
  mapping?: string;
}

/**
 * `arbor export PATH [SESSION_ID…] --format jsonl|json|md|html [--out FILE] [--all-branches]`. A file
 * is written beside its final name and renamed over it when complete, so a failed export never leaves
 * a half file that looks whole; without --out the export goes to standard output.
 */
export async function exportCommand(path: string, ids: string[], options: ExportCommandOptions, out: (text: string) => void): Promise<void> {
  const found = discoverSources([path], mappingOptions([path], options.mapping));
  try {
    if (found.sources.length === 0) throw new CliError(`no session store found at ${path}`);
    const target = options.out && options.out !== '-' ? resolve(options.out) : null;
    const exportOptions = {
      format: options.format,
      ...(ids.length ? { sessionIds: ids } : {}),
      allBranches: options.allBranches === true,
      ...(target !== null && process.stderr.isTTY ? { onProgress: progressLine } : {}),
    };
    if (!target) {
      await exportSessions(found.sources, exportOptions, process.stdout);
      return;
    }
    const summary = await exportToFile(found.sources, exportOptions, target);
    if (process.stderr.isTTY) process.stderr.write('\n');
    out(`Exported ${summary.sessions} session(s), ${summary.messages} message(s) to ${target} (${options.format}).`);
  } finally {
    for (const s of found.sources) s.close();
  }
}

function progressLine(p: ExportProgress): void {
  process.stderr.write(`\r${p.done}/${p.total} session(s), ${p.messages} message(s)`);
}
