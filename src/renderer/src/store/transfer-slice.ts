import { api } from '../api/client';
import type { ArgsOf } from '../../../shared/contract';
import type { ExportDone, ImportPreview, ImportReport, OperationProgress } from '../../../shared/dto';
import { isUnsupported } from '../lib/errors';
import type { ArborState, Slice } from './types';

/**
 * Export and import: which dialog is open and on what, and the calls they make. The dialogs keep
 * their own form state; what lives here is what other parts of the app start (menus, the session
 * list, a dropped file) and what runs long (progress is polled from the host while a call is awaited).
 */

export type ExportFormat = ArgsOf<'export.run'>['format'];

/** What an export covers: a whole source (sessionIds null) or some of its sessions. */
export interface ExportScope {
  sourceId: string;
  sessionIds: string[] | null;
}

/** Where an import reads from: an export file (a path the host can read) or another open source. */
export type ImportInputChoice =
  | { kind: 'file'; path: string; name: string; uploaded: boolean }
  | { kind: 'source'; sourceId: string; sessionIds: string[] | null };

/** What the import dialog opens with (a dropped file, the sessions a context menu was opened on). */
export interface ImportSeed {
  input?: ImportInputChoice;
  /** Set when the dialog opens: a new seed (a second drop) starts a fresh form. */
  nonce?: number;
}

export interface ExportOptions {
  format: ExportFormat;
  allBranches: boolean;
  /** Markdown and HTML: the source's local path in the document. */
  includePaths?: boolean;
}

export interface TransferSlice {
  exportScope: ExportScope | null;
  importSeed: ImportSeed | null;
  /** An export or import is being written (the dialogs disable their buttons; progress shows). */
  transferRunning: boolean;
  /** The host's last report on the running call, null before the first one. */
  transferProgress: OperationProgress | null;
  /** Opens the export dialog; without a scope, on the whole selected source. */
  openExport(scope?: ExportScope): void;
  closeExport(): void;
  openImport(seed?: ImportSeed): void;
  closeImport(): void;
  /** Electron: asks where to save, then writes there. Browser: writes, then downloads. Null: cancelled. */
  runExport(scope: ExportScope, options: ExportOptions): Promise<ExportDone | null>;
  /** Sends a file the browser read to the host, which keeps it where import.preview can read it. */
  stageImportFile(file: File): Promise<ImportInputChoice>;
  previewImport(args: ArgsOf<'import.preview'>): Promise<ImportPreview>;
  /** Writes what the preview showed, then refreshes the sources so the target's list is current. */
  applyImport(previewId: string, targetSourceId: string | null): Promise<ImportReport>;
}

/** import.stage takes at most 16 MiB of text in one JSON body; a little less leaves room for escapes. */
export const MAX_UPLOAD_BYTES = 15 * 1024 * 1024;

const EXTENSIONS: Record<ExportFormat, string> = { jsonl: 'arbor.jsonl', json: 'arbor.json', md: 'md', html: 'html' };
const POLL_MS = 200;
let nextOperation = 1;
let nextSeed = 1;

function operationId(kind: string): string {
  return `${kind}-${Date.now().toString(36)}-${nextOperation++}`;
}

/**
 * The sessions the user has chosen in the list, for "export / import the selected sessions": those
 * picked with Ctrl/Shift-click (the cleanup slice keeps them), else the open session.
 */
export function selectedSessionIds(state: ArborState): string[] {
  if (state.pickedSessionIds.length) return state.pickedSessionIds;
  return state.selectedSessionId !== null ? [state.selectedSessionId] : [];
}

/** The name the save dialog proposes, like the host's own for downloads: session id or store name. */
export function suggestedExportName(state: ArborState, scope: ExportScope, format: ExportFormat): string {
  const source = state.sources.find((s) => s.id === scope.sourceId);
  const base = (source?.path.split(/[\\/]/).filter(Boolean).at(-1) ?? 'arbor').replace(/\.[^.]+$/, '') || 'arbor';
  const ids = scope.sessionIds;
  const name = ids?.length === 1 ? ids[0] : `${base}${ids ? `-${ids.length}-sessions` : ''}`;
  return `${name.replace(/[^\w.-]+/g, '_').slice(0, 100) || 'arbor'}.${EXTENSIONS[format]}`;
}

/**
 * A browser-mode export waits on the server as a one-time download; a same-origin link with
 * `download` saves it without leaving the page (the session cookie authorises the request).
 */
function download(downloadId: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = `/download/${encodeURIComponent(downloadId)}`;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
}

export const createTransferSlice: Slice<TransferSlice> = (set, get) => {
  /** Runs a long call under an operation id and polls its progress until the call settles. */
  async function withProgress<T>(kind: string, run: (operationId: string) => Promise<T>): Promise<T> {
    const id = operationId(kind);
    set({ transferRunning: true, transferProgress: null });
    let settled = false;
    const poll = async () => {
      while (!settled) {
        await new Promise((r) => setTimeout(r, POLL_MS));
        if (settled) return;
        try {
          const progress = await api['progress.get']({ operationId: id });
          if (!settled && progress) set({ transferProgress: progress });
        } catch {
          // Progress is a courtesy: a failed poll must not fail the call it reports on.
        }
      }
    };
    void poll();
    try {
      return await run(id);
    } finally {
      settled = true;
      set({ transferRunning: false, transferProgress: null });
    }
  }

  return {
    exportScope: null,
    importSeed: null,
    transferRunning: false,
    transferProgress: null,

    openExport(scope) {
      const sourceId = scope?.sourceId ?? get().selectedSourceId;
      if (!sourceId) {
        get().pushError('Open a source first: there is nothing to export.');
        return;
      }
      set({ exportScope: { sourceId, sessionIds: scope?.sessionIds ?? null }, importSeed: null });
    },
    closeExport() {
      if (!get().transferRunning) set({ exportScope: null });
    },
    openImport(seed) {
      set({ importSeed: { ...seed, nonce: nextSeed++ }, exportScope: null });
    },
    closeImport() {
      if (!get().transferRunning) set({ importSeed: null });
    },

    async runExport(scope, { format, allBranches, includePaths }) {
      let destination: string | null = null;
      if (get().appInfo?.canPickPaths === true) {
        try {
          destination = await api['host.pickSavePath']({ suggestedName: suggestedExportName(get(), scope, format) });
          if (destination === null) return null;
        } catch (error) {
          // A host without a save dialog offers the file as a download instead.
          if (!isUnsupported(error)) throw error;
        }
      }
      const readable = format === 'md' || format === 'html';
      const done = await withProgress('export', (id) =>
        api['export.run']({
          sourceId: scope.sourceId,
          sessionIds: scope.sessionIds,
          format,
          // Only the readable formats choose; JSON lines and JSON always carry the whole tree.
          ...(readable ? { allBranches, includePaths: includePaths === true } : {}),
          destination,
          operationId: id,
        }),
      );
      if (done.downloadId) download(done.downloadId, done.fileName);
      return done;
    },

    async stageImportFile(file) {
      if (file.size > MAX_UPLOAD_BYTES) {
        throw new Error(`${file.name} is ${(file.size / 1024 / 1024).toFixed(1)} MB; an upload takes up to 15 MB. Type its path on the server instead.`);
      }
      const content = await file.text();
      const { path } = await api['import.stage']({ name: file.name || 'upload.arbor.jsonl', content });
      return { kind: 'file', path, name: file.name, uploaded: true };
    },

    previewImport(args) {
      return api['import.preview'](args);
    },

    async applyImport(previewId, targetSourceId) {
      const report = await withProgress('import', (id) => api['import.apply']({ previewId, operationId: id }));
      // The target changed under its open source (or a new store was opened as one): refresh the
      // source list (counts, the new source) and, by reopening it, the target's session list.
      if (targetSourceId && get().sources.some((s) => s.id === targetSourceId)) await get().reloadSource(targetSourceId);
      await get().loadSources();
      get().clearErrors();
      return report;
    },
  };
};
