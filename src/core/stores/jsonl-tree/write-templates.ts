import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileModeIn, ownerModeOf, ownerProblem, OwnerChangeError, type OwnerMode } from '../../safety/file-owner';

/**
 * Owner, group and mode for what an import adds to an existing JSONL tree store: like what the store
 * already holds, which is what its backend made (through its own umask, as its own user). A new
 * session folder is like an existing session folder (else like the store's folder), a new
 * messages.jsonl like an existing one (else like sessions.json, else the folder's mode without the
 * execute bits), a new branches.json like an existing one (else like messages.jsonl).
 */

export interface StoreTemplates {
  folder: OwnerMode;
  messages: OwnerMode;
  branches: OwnerMode;
  index: OwnerMode;
}

/** How many session folders are looked at for a branches.json to copy. */
const LOOK_AT = 50;

export function storeTemplates(root: string): StoreTemplates {
  const store = ownerModeOf(root);
  if (!store) throw new Error(`${root}: the store's folder is gone`);
  let folder: OwnerMode | null = null;
  let messages: OwnerMode | null = null;
  let branches: OwnerMode | null = null;
  let looked = 0;
  for (const e of readdirSync(root, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    const m = ownerModeOf(join(root, e.name, 'messages.jsonl'));
    if (!m) continue;
    folder ??= ownerModeOf(join(root, e.name));
    messages ??= m;
    branches ??= ownerModeOf(join(root, e.name, 'branches.json'));
    if (branches || ++looked >= LOOK_AT) break;
  }
  const index = ownerModeOf(join(root, 'sessions.json'));
  folder ??= store;
  messages ??= index ?? fileModeIn(folder);
  return { folder, messages, branches: branches ?? messages, index: index ?? messages };
}

/** Refuses, before anything is written, when this process could not give new files the store's owner. */
export function assertTemplatesGiven(root: string, t: StoreTemplates): void {
  for (const want of [t.folder, t.messages, t.branches, t.index]) {
    const problem = ownerProblem(want);
    if (problem) {
      throw new OwnerChangeError(
        `${root}: new files in this store would have to belong to uid ${want.uid} (gid ${want.gid}) like the rest of it, and Arbor cannot make them so (${problem}); nothing was changed. Run Arbor as the store's owner (or as root).`,
      );
    }
  }
}
