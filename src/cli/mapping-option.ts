import { statSync } from 'node:fs';
import { READ_LIMITS } from '../core/files/limits';
import { readTextFile } from '../core/files/read';
import { resolve } from 'node:path';
import type { OpenOptions } from '../core/adapters/adapter';
import { openReadOnly } from '../core/sqlite/open';
import { readSchema } from '../core/sqlite/schema';
import { MappingError, mappingFor, parseMapping } from '../core/stores/sql-mapping/mapping';
import { CliError } from './errors';

/**
 * `--mapping FILE`: a column mapping (docs/formats/sql-mapping.md) for the SQLite file(s) given as
 * PATH. Checked here, before anything is opened, so a mapping that names a missing table or column
 * fails with what the file has instead of "no layout knows this file".
 */
export function mappingOptions(paths: readonly string[], file: string | undefined): OpenOptions {
  const entries = mappingEntries(paths, file);
  if (!entries.length) return {};
  const byPath = new Map(entries);
  return { mappingFor: (path) => byPath.get(resolve(path)) };
}

/** The same, as data (full path → mapping), for service workers: functions do not cross threads. */
export function mappingEntries(paths: readonly string[], file: string | undefined): Array<[string, unknown]> {
  if (file === undefined) return [];
  let json: unknown;
  try {
    json = JSON.parse(readTextFile(file, { limit: READ_LIMITS.small, what: 'mapping files' }));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not valid JSON (${(error as Error).message})`;
    throw new CliError(`--mapping ${file}: ${why}`);
  }
  let mapping;
  try {
    mapping = parseMapping(json);
  } catch (error) {
    if (error instanceof MappingError) throw new CliError(`--mapping ${file}: ${error.problems.join('; ')}`);
    throw error;
  }
  const targets = new Set<string>();
  for (const path of paths) {
    const full = resolve(path);
    let isFile = false;
    try {
      isFile = statSync(full).isFile();
    } catch {
      throw new CliError(`${full}: no such file or folder`);
    }
    if (!isFile) throw new CliError(`--mapping maps one SQLite file; ${full} is a folder (give the file itself)`);
    const db = openReadOnly(full);
    try {
      mappingFor(mapping, readSchema(db));
    } catch (error) {
      if (error instanceof MappingError) throw new CliError(`--mapping ${file} does not fit ${full}: ${error.problems.join('; ')}`);
      if ((error as { code?: string }).code === 'SQLITE_NOTADB') throw new CliError(`--mapping: ${full} is not a SQLite file`);
      throw error;
    } finally {
      db.close();
    }
    targets.add(full);
  }
  return [...targets].map((target) => [target, mapping]);
}
