import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { discoverSources } from '../../core/scan/discover';
import { exportSessions, type ExportFormat, type ExportProgress } from '../../core/transfer';
import { CliError } from '../errors';

export interface ExportCommandOptions {
  format: ExportFormat;
  out?: string;
  allBranches?: boolean;
}

/**
 * `arbor export PATH [SESSION_ID…] --format jsonl|json|md|html [--out FILE] [--all-branches]`. A file
 * is written beside its final name and renamed over it when complete, so a failed export never leaves
 * a half file that looks whole; without --out the export goes to standard output.
 */
export async function exportCommand(path: string, ids: string[], options: ExportCommandOptions, out: (text: string) => void): Promise<void> {
  const found = discoverSources([path]);
  try {
    if (found.sources.length === 0) throw new CliError(`no session store found at ${path}`);
    const target = options.out && options.out !== '-' ? resolve(options.out) : null;
    const temp = target ? join(dirname(target), `.${basename(target)}.${process.pid}.arbor-tmp`) : null;
    const stream: Writable = temp ? createWriteStream(temp, { flags: 'wx' }) : process.stdout;
    const showProgress = target !== null && process.stderr.isTTY;
    try {
      const summary = await exportSessions(
        found.sources,
        {
          format: options.format,
          ...(ids.length ? { sessionIds: ids } : {}),
          allBranches: options.allBranches === true,
          ...(showProgress ? { onProgress: progressLine } : {}),
        },
        stream,
      );
      if (temp && target) {
        stream.end();
        await finished(stream);
        renameSync(temp, target);
        if (showProgress) process.stderr.write('\n');
        out(`Exported ${summary.sessions} session(s), ${summary.messages} message(s) to ${target} (${options.format}).`);
      }
    } catch (error) {
      if (temp) {
        stream.destroy();
        rmSync(temp, { force: true });
      }
      throw error;
    }
  } finally {
    for (const s of found.sources) s.close();
  }
}

function progressLine(p: ExportProgress): void {
  process.stderr.write(`\r${p.done}/${p.total} session(s), ${p.messages} message(s)`);
}
