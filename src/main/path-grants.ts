import { dirname, isAbsolute, join, resolve } from 'node:path';
import { contract, type MethodName, type ParsedArgsOf, type ResultOf } from '../shared/contract';
import { ApiError } from '../shared/errors';

/**
 * The paths the renderer may name. The renderer shows message content, which is untrusted; were
 * it ever made to run script, it could name any path in a call — export over a file of the user's,
 * import into one, open one. So in the app a call's path arguments must be paths the main process
 * itself was given: chosen in a dialog it showed, dropped on the window, given on the command line,
 * on the recent list it keeps, or produced by itself (known locations, a staged upload). Reading is
 * granted for such a path and everything below it (a chosen folder's stores, a file's "Map
 * columns…"); writing only for exactly the path a save dialog returned, and an export's grant is
 * used up by the export. Checked in ipc.ts before a call is dispatched.
 *
 * No `electron` import here: the dialogs are handed in, so the rules run under vitest.
 */

export type GrantOrigin = 'dialog' | 'drop' | 'argv' | 'recent' | 'app';

export interface PathArguments {
  read: string[];
  write: string[];
  /** Write grants the call uses up (an export's destination). */
  consume: string[];
}

const NONE: PathArguments = { read: [], write: [], consume: [] };

/** Every path-typed argument of the contract, by call (the rest take ids that name what the main process already holds). */
export function pathArguments(method: MethodName, args: unknown): PathArguments {
  switch (method) {
    case 'sources.open':
      return { ...NONE, read: (args as ParsedArgsOf<'sources.open'>).paths };
    case 'export.run': {
      const { destination } = args as ParsedArgsOf<'export.run'>;
      return destination === null ? NONE : { ...NONE, write: [destination], consume: [destination] };
    }
    case 'import.preview': {
      const { input, target } = args as ParsedArgsOf<'import.preview'>;
      return { read: 'path' in input ? [input.path] : [], write: 'path' in target ? [target.path] : [], consume: [] };
    }
    case 'mapping.inspect':
    case 'mapping.preview':
    case 'mapping.save':
      return { ...NONE, read: [(args as { path: string }).path] };
    default:
      return NONE;
  }
}

const normal = (path: string) => resolve(path);

export class PathGrants {
  private readonly readable = new Map<string, GrantOrigin>();
  private readonly writable = new Map<string, GrantOrigin>();

  grantRead(paths: readonly string[], origin: GrantOrigin): void {
    for (const p of paths) if (isAbsolute(p)) this.readable.set(normal(p), origin);
  }

  grantWrite(path: string, origin: GrantOrigin): void {
    if (isAbsolute(path)) this.writable.set(normal(path), origin);
  }

  /** The path or a folder above it was granted (a path the user chose to write to is theirs to open too). */
  mayRead(path: string): boolean {
    if (this.writable.has(normal(path))) return true;
    let at = normal(path);
    for (;;) {
      if (this.readable.has(at)) return true;
      const up = dirname(at);
      if (up === at) return false;
      at = up;
    }
  }

  mayWrite(path: string): boolean {
    return this.writable.has(normal(path));
  }

  /**
   * Refuses the call unless every path it names was granted. Arguments the contract's schema
   * rejects are left to dispatch, which refuses them anyway (no path of theirs is used).
   */
  check(method: MethodName, args: unknown): void {
    const parsed = contract[method].args.safeParse(args ?? {});
    if (!parsed.success) return;
    const { read, write, consume } = pathArguments(method, parsed.data);
    for (const p of read) {
      if (!this.mayRead(p)) throw refused(p, 'open');
    }
    for (const p of write) {
      if (!this.mayWrite(p)) throw refused(p, 'write');
    }
    for (const p of consume) this.writable.delete(normal(p));
  }

  /** Paths the main process itself put in a call's result may be named back. */
  record(method: MethodName, result: unknown): void {
    if (method === 'locations.list') {
      this.grantRead((result as ResultOf<'locations.list'>).filter((l) => l.exists).map((l) => l.path), 'app');
    } else if (method === 'import.stage') {
      this.grantRead([(result as ResultOf<'import.stage'>).path], 'app');
    }
  }
}

function refused(path: string, what: 'open' | 'write'): ApiError {
  const how =
    what === 'open'
      ? 'Choose it with Open File…, Open Folder… or Choose file…, or drop it on the window'
      : 'Choose where to save with the dialog the app shows';
  return new ApiError('failed', `Refused to ${what} ${path}: the app ${what === 'open' ? 'opens' : 'writes'} only paths you chose. ${how}.`);
}

/** What Electron's dialog.showOpenDialog and showSaveDialog take and give, as far as Arbor uses them. */
export type ShowOpenDialog = (options: { title: string; properties: Array<'openFile' | 'openDirectory' | 'multiSelections'> }) => Promise<{ canceled: boolean; filePaths: string[] }>;
export type ShowSaveDialog = (options: { title: string; defaultPath: string; properties: Array<'showOverwriteConfirmation' | 'createDirectory'> }) => Promise<{ canceled: boolean; filePath?: string }>;

/**
 * The host's pickPaths / pickSavePath over the given dialogs; what the user chooses is granted.
 * `defaultFolder` is where a save dialog starts (the Documents folder).
 */
export function grantingDialogs(grants: PathGrants, dialogs: { showOpenDialog: ShowOpenDialog; showSaveDialog: ShowSaveDialog; defaultFolder: () => string }) {
  return {
    pickPaths: async (kind: 'file' | 'folder'): Promise<string[] | null> => {
      const result = await dialogs.showOpenDialog({
        title: kind === 'file' ? 'Open a session store file' : 'Open a folder of session stores',
        properties: kind === 'file' ? ['openFile', 'multiSelections'] : ['openDirectory', 'multiSelections'],
      });
      if (result.canceled) return null;
      grants.grantRead(result.filePaths, 'dialog');
      return result.filePaths;
    },
    pickSavePath: async (suggestedName: string, purpose: 'export' | 'new-store' = 'export'): Promise<string | null> => {
      const result = await dialogs.showSaveDialog({
        title: purpose === 'export' ? 'Export sessions' : 'Create a new store',
        // The suggested name is the renderer's: only its last part is used, inside the default folder.
        defaultPath: join(dialogs.defaultFolder(), suggestedName.split(/[\\/]/).pop() || 'arbor-export'),
        properties: ['showOverwriteConfirmation', 'createDirectory'],
      });
      if (result.canceled || !result.filePath) return null;
      grants.grantWrite(result.filePath, 'dialog');
      return result.filePath;
    },
  };
}
