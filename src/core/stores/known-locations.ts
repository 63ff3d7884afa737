import { readdirSync } from 'node:fs';
import { isDirectoryPath as isDirectory } from '../files/kind';
import { homedir } from 'node:os';
import type { FormatName } from '../model/types';
import { releaseProbe, type Probe } from '../scan/probe';
import type { StoreLayout } from './layout';

/**
 * The default folders of the layouts Arbor reads ("Open known locations…", `arbor locations`):
 * where each tool keeps its sessions on this machine, from the home folder and the tools' own
 * override variables, whether the folder is there and how many sessions it holds. The layouts are
 * handed in by the caller (the registry's list), never looked up here. Nothing is written; a
 * folder is only listed and, when its layout recognises it, counted.
 */

export interface FoundLocation {
  layout: FormatName;
  label: string;
  path: string;
  exists: boolean;
  /** Sessions in the folder; 0 when it is missing or holds none. */
  sessions: number;
  /** Why the folder could not be counted, when it exists but could not be read. */
  problem?: string;
}

export interface LocationContext {
  home?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

export function knownLocations(layouts: readonly StoreLayout[], context: LocationContext = {}): FoundLocation[] {
  const home = context.home ?? homedir();
  const env = context.env ?? process.env;
  const found: FoundLocation[] = [];
  const seen = new Set<string>();
  for (const layout of layouts) {
    for (const location of layout.locations ?? []) {
      const path = location.path(home, env);
      if (seen.has(path)) continue;
      seen.add(path);
      const exists = isDirectory(path);
      const entry: FoundLocation = { layout: layout.format, label: location.label, path, exists, sessions: 0 };
      if (exists) {
        try {
          entry.sessions = countSessions(layout, path);
        } catch (error) {
          entry.problem = (error as Error).message;
        }
      }
      found.push(entry);
    }
  }
  return found;
}

/** The layout's own reader counts: a folder it does not recognise (empty, not yet used) holds none. */
function countSessions(layout: StoreLayout, path: string): number {
  const probe: Probe = { kind: 'directory', path, entries: readdirSync(path, { withFileTypes: true }) };
  if (!layout.reader.detect(probe)) {
    releaseProbe(probe);
    return 0;
  }
  const source = layout.reader.open(probe);
  try {
    return source.describe().sessionCount;
  } finally {
    source.close();
  }
}
