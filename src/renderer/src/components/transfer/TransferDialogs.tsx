import '../../styles/transfer.css';
import { useArbor } from '../../store';
import { ExportDialog } from './ExportDialog';
import { ImportDialog } from './ImportDialog';
import { useFileDrop } from './use-file-drop';

/** The export and import dialogs, whichever is open, and the window's file drop that offers an import. */
export function TransferDialogs() {
  const exportScope = useArbor((s) => s.exportScope);
  const importSeed = useArbor((s) => s.importSeed);
  const electron = useArbor((s) => s.appInfo?.host === 'electron');
  const dragging = useFileDrop();
  return (
    <>
      {exportScope ? <ExportDialog scope={exportScope} /> : null}
      {importSeed ? <ImportDialog key={importSeed.nonce} seed={importSeed} /> : null}
      {dragging ? (
        <div className="drop-hint" aria-hidden="true">
          <div className="drop-hint-card">{electron ? 'Drop an Arbor export to import it, or a store to open it' : 'Drop an Arbor export to import it'}</div>
        </div>
      ) : null}
    </>
  );
}
