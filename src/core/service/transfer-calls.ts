import { writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ApiHandlers, ParsedArgsOf } from '../../shared/contract';
import { ApiError } from '../../shared/errors';
import { exportToFile, importSessions } from '../catalog';
import type { ImportOptions } from '../transfer';
import { PendingMap, type ServiceContext } from './context';
import { removeQuietly, type TransferScratch } from './transfer-scratch';

type TransferCalls = Pick<ApiHandlers, 'host.pickSavePath' | 'export.run' | 'import.stage' | 'import.preview' | 'import.apply' | 'progress.get'>;

const EXTENSIONS = { jsonl: 'arbor.jsonl', json: 'arbor.json', md: 'md', html: 'html' } as const;

interface PendingImport {
  input: string;
  options: Omit<ImportOptions, 'layouts'>;
  newStore: boolean;
}

/** A file waiting to be downloaded once (browser mode), by id. */
export interface Download {
  path: string;
  fileName: string;
}

/**
 * Export and import over the API. In Electron files go where the native save dialog said; in a
 * browser an export waits in a temp folder as a one-time download and an import file arrives as an
 * upload (import.stage), because the browser cannot name paths on the server's disk by itself.
 */
export function transferCalls(ctx: ServiceContext, downloads: PendingMap<Download>, scratch: () => TransferScratch): TransferCalls {
  const previews = new PendingMap<PendingImport>('import');
  return {
    'host.pickSavePath': async ({ suggestedName, purpose }) => {
      if (!ctx.pickSavePath) throw new ApiError('unsupported', 'This host has no save dialog; the export is offered as a download.');
      return ctx.pickSavePath(suggestedName, purpose);
    },
    'export.run': async ({ sourceId, sessionIds, format, allBranches, includePaths, destination, operationId }) => {
      const source = ctx.source(sourceId);
      const browser = ctx.info.host === 'browser';
      if (browser && destination !== null) throw new ApiError('unsupported', 'In a browser an export is a download; no server path can be given.');
      if (!browser && destination === null) throw new ApiError('invalid-arguments', 'Choose where to save the export (host.pickSavePath).');
      const fileName = destination ? basename(destination) : `${exportName(source.path, sessionIds)}.${EXTENSIONS[format]}`;
      const file = destination ?? scratch().file(fileName);
      try {
        const summary = await exportToFile(
          [source],
          {
            format,
            ...(sessionIds ? { sessionIds } : {}),
            allBranches: allBranches === true,
            includePaths: includePaths === true,
            onProgress: (p) => ctx.progress.report(operationId, { label: `Exporting ${p.messages} messages`, done: p.done, total: p.total }),
          },
          file,
        );
        const downloadId = browser ? downloads.add({ path: file, fileName }) : null;
        return { path: browser ? null : file, downloadId, fileName, sessions: summary.sessions, messages: summary.messages };
      } catch (error) {
        if (destination === null) removeQuietly(file);
        throw error;
      } finally {
        ctx.progress.finish(operationId);
      }
    },
    'import.stage': ({ name, content }) => {
      const dir = scratch().subfolder();
      const path = join(dir, basename(name).replace(/[^\w.-]+/g, '_') || 'upload.jsonl');
      writeFileSync(path, content);
      return { path };
    },
    'import.preview': async (args) => {
      const pending = pendingImport(ctx, args);
      const report = await importSessions(pending.input, { ...pending.options, dryRun: true });
      return { previewId: previews.add(pending), report };
    },
    'import.apply': async ({ previewId, operationId }) => {
      const pending = previews.take(previewId);
      if (!pending) throw new ApiError('not-found', 'That preview is no longer available; make the preview again.');
      try {
        const report = await importSessions(pending.input, {
          ...pending.options,
          onProgress: (p) => ctx.progress.report(operationId, { label: p.phase === 'check' ? 'Checking the input' : 'Writing', done: p.done, total: p.total }),
        });
        if (pending.newStore) ctx.openCreated(report.target.path);
        else ctx.storeChanged(report.target.path);
        return report;
      } finally {
        // An upload has done its job once its import ran (a failed one is uploaded again).
        if (scratch().holds(pending.input)) removeQuietly(dirname(pending.input));
        ctx.progress.finish(operationId);
      }
    },
    'progress.get': ({ operationId }) => ctx.progress.get(operationId),
  };
}

function pendingImport(ctx: ServiceContext, args: ParsedArgsOf<'import.preview'>): PendingImport {
  const fromSource = 'sourceId' in args.input ? args.input : null;
  const input = fromSource ? ctx.sourcePath(fromSource.sourceId) : (args.input as { path: string }).path;
  const newStore = 'layout' in args.target;
  const into = 'sourceId' in args.target ? ctx.sourcePath(args.target.sourceId) : args.target.path;
  const options: Omit<ImportOptions, 'layouts'> = {
    into,
    onConflict: args.onConflict,
    tree: args.tree,
    ...('layout' in args.target ? { layout: args.target.layout } : {}),
    ...(args.tenant ? { tenant: args.tenant } : {}),
    ...(fromSource?.sessionIds ? { sessionIds: fromSource.sessionIds } : {}),
    ...(ctx.trashDir ? { trashRoot: ctx.trashDir } : {}),
    // A mapped source is read through its mapping, as the app shows it.
    ...(fromSource ? { open: ctx.openOptions } : {}),
  };
  return { input, options, newStore };
}

function exportName(storePath: string, sessionIds: readonly string[] | null): string {
  const base = basename(storePath).replace(/\.[^.]+$/, '') || 'arbor';
  const name = sessionIds?.length === 1 ? sessionIds[0] : `${base}${sessionIds ? `-${sessionIds.length}-sessions` : ''}`;
  return name.replace(/[^\w.-]+/g, '_').slice(0, 100);
}
