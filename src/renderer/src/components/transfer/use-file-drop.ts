import { useEffect, useState } from 'react';
import { errorMessage } from '../../lib/errors';
import { useArbor } from '../../store';
import type { ImportInputChoice } from '../../store/transfer-slice';

/** What every Arbor export starts with: the JSON lines' first header, or the JSON document's. */
const ARBOR_HEADER = '{"arbor":';
/** Names an export may have; only these are worth reading before the drop's default is decided. */
const EXPORT_NAME = /\.jsonl?$/i;

/** Reads the first bytes: an Arbor export starts with its header; a store file or folder does not. */
async function isArborExport(file: File): Promise<boolean> {
  try {
    const head = await file.slice(0, 256).text();
    return head.replace(/^\uFEFF/, '').trimStart().startsWith(ARBOR_HEADER);
  } catch {
    // A dropped folder is a File that cannot be read.
    return false;
  }
}

function hasFiles(e: DragEvent): boolean {
  return Boolean(e.dataTransfer?.types.includes('Files'));
}

/**
 * Files dropped onto the window. An Arbor export opens the import dialog with that file as input.
 *
 * Browser: every file drop is taken over (the browser would otherwise leave the app to show the
 * file); the file is read and staged on the server with import.stage.
 *
 * Electron: the main process opens a dropped store by catching the navigation a drop causes, so a
 * drop is left alone unless a file is named like an export (.jsonl/.json). Such a drop is taken
 * over, its files' first bytes read: exports go to the import dialog (by their path, which needs
 * no upload and has no size limit), anything else (a seed-001 messages.jsonl, a sessions.json) is
 * opened as a source by path, just as the main process would have.
 */
export function useFileDrop(): boolean {
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    const bridge = window.arborHost;
    const electron = Boolean(bridge?.pathForFile);
    let depth = 0;

    const handle = async (files: File[]) => {
      const state = useArbor.getState();
      let exportFile: File | null = null;
      const stores: string[] = [];
      const rejected: string[] = [];
      for (const file of files) {
        if (!exportFile && (await isArborExport(file))) exportFile = file;
        else if (electron) {
          const path = bridge?.pathForFile?.(file);
          if (path) stores.push(path);
        } else rejected.push(file.name);
      }
      if (stores.length) await state.openPaths(stores);
      if (rejected.length) {
        state.pushError(
          `${rejected.join(', ')}: not an Arbor export. Dropping imports Arbor exports; to open a store in a browser, use “Open file…” or “Open folder…” with its path on the server.`,
        );
      }
      if (!exportFile) return;
      if (state.transferRunning) {
        state.pushError('An export or import is running; drop the file again when it has finished.');
        return;
      }
      try {
        const path = electron ? bridge?.pathForFile?.(exportFile) : undefined;
        const input: ImportInputChoice = path ? { kind: 'file', path, name: exportFile.name, uploaded: false } : await state.stageImportFile(exportFile);
        state.openImport({ input });
      } catch (error) {
        state.pushError(`${exportFile.name} could not be read for import: ${errorMessage(error)}`);
      }
    };

    const onDragEnter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setDragging(true);
    };
    const onDragLeave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const onDragOver = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      // Cancelling dragover is what lets the drop event fire at all; the drop decides the default.
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const onDrop = (e: DragEvent) => {
      depth = 0;
      setDragging(false);
      if (!hasFiles(e) || !e.dataTransfer) return;
      const files = [...e.dataTransfer.files];
      // Electron: a drop of folders and databases only is the main process's (it opens them).
      if (electron && !files.some((f) => EXPORT_NAME.test(f.name))) return;
      e.preventDefault();
      void handle(files);
    };

    window.addEventListener('dragenter', onDragEnter);
    window.addEventListener('dragleave', onDragLeave);
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onDragEnter);
      window.removeEventListener('dragleave', onDragLeave);
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('drop', onDrop);
    };
  }, []);

  return dragging;
}
