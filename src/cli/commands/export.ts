import { plural } from '../../core/model/plural';
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { discoverSources, exportSessions, exportToFile } from '../../core/catalog';
import type { ExportFormat, ExportProgress } from '../../core/transfer';
import { CliError } from '../errors';
import { mappingOptions } from '../mapping-option';

export interface ExportCommandOptions {
  format: ExportFormat;
  out?: string;
  allBranches?: boolean;
  includePaths?: boolean;
  mapping?: string;
}

/**
 * `arbor export PATH [SESSION_ID…] --format jsonl|json|md|html [--out FILE] [--all-branches]`. A file
 * is written beside its final name and renamed over it when complete, so a failed export never leaves
 * a half file that looks whole; without --out the export goes to standard output. Markdown and HTML
 * leave the source's local path out unless --include-paths.
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
      includePaths: options.includePaths === true,
      ...(target !== null && process.stderr.isTTY ? { onProgress: progressLine } : {}),
    };
    if (!target) {
      await exportSessions(found.sources, exportOptions, process.stdout);
      return;
    }
    checkFolder(dirname(target));
    const summary = await exportToFile(found.sources, exportOptions, target).catch((error: unknown) => {
      throw writeError(error, target);
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    out(`Exported ${plural(summary.sessions, 'session')}, ${plural(summary.messages, 'message')} to ${target} (${options.format}).`);
  } finally {
    for (const s of found.sources) s.close();
  }
}

function progressLine(p: ExportProgress): void {
  process.stderr.write(`\r${p.done}/${plural(p.total, 'session')}, ${plural(p.messages, 'message')}`);
}

/** The folder the file goes into must be there: said in those words, before a temp file is named. */
function checkFolder(folder: string): void {
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    throw new CliError(`folder ${folder} does not exist; create it first, or choose another --out`);
  }
  if (!isFolder) throw new CliError(`${folder} is not a folder; choose another --out`);
}

/** A failed write in the user's words: the file they named and why, never the temp file beside it. */
function writeError(error: unknown, target: string): Error {
  const code = (error as NodeJS.ErrnoException)?.code;
  const why: Record<string, string> = { EACCES: 'permission denied', EPERM: 'permission denied', ENOSPC: 'the disk is full', EROFS: 'the disk is read-only', ENOENT: 'its folder went away', EISDIR: 'it is a folder' };
  if (code && why[code]) return new CliError(`cannot write ${target}: ${why[code]}`);
  return error instanceof Error ? error : new Error(String(error));
}
