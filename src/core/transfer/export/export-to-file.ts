import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import type { StoreSource } from '../../adapters/adapter';
import { exportSessions, type ExportOptions, type ExportSummary } from './export';

/**
 * An export written beside its final name and renamed over it when complete, so a failed or
 * interrupted export never leaves a half file that looks whole. Used by the CLI and the app.
 */
export async function exportToFile(sources: readonly StoreSource[], options: ExportOptions, file: string): Promise<ExportSummary> {
  const target = resolve(file);
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now()}.arbor-tmp`);
  const stream = createWriteStream(temp, { flags: 'wx' });
  try {
    const summary = await exportSessions(sources, options, stream);
    stream.end();
    await finished(stream);
    renameSync(temp, target);
    return summary;
  } catch (error) {
    stream.destroy();
    rmSync(temp, { force: true });
    throw error;
  }
}
