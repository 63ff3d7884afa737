import { useEffect, useRef } from 'react';
import { useArbor } from '../../store';
import type { ReadOnlyNotice } from '../../store/cleanup-slice';
import { Modal } from '../Modal';

/**
 * What a write entry point (Delete, Prune, Cleanup…) says on a store Arbor only reads (an agent CLI's
 * transcripts, a chat export): plainly that it is never changed, and the two ways to go on — copy the
 * sessions into a store Arbor can write, or export them.
 */
export function ReadOnlyDialog({ notice }: { notice: ReadOnlyNotice }) {
  const close = useArbor((s) => s.closeReadOnlyNotice);
  const source = useArbor((s) => s.sources.find((x) => x.id === notice.sourceId));
  const openImport = useArbor((s) => s.openImport);
  const openExport = useArbor((s) => s.openExport);
  const label = source?.label ?? 'This';
  const primary = useRef<HTMLButtonElement>(null);
  // After the Modal's showModal() (a child's effect runs first), which would leave focus on the ×.
  useEffect(() => primary.current?.focus(), []);
  const which = notice.sessionIds?.length ? (notice.sessionIds.length === 1 ? 'this session' : `these ${notice.sessionIds.length} sessions`) : 'its sessions';
  const copy = () => {
    close();
    openImport({ input: { kind: 'source', sourceId: notice.sourceId, sessionIds: notice.sessionIds?.length ? notice.sessionIds : null } });
  };
  const exportThem = () => {
    close();
    openExport({ sourceId: notice.sourceId, sessionIds: notice.sessionIds?.length ? notice.sessionIds : null });
  };
  return (
    <Modal
      title={`${label} stores are read-only`}
      onClose={close}
      className="read-only-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button type="button" className="button" onClick={exportThem}>
            Export…
          </button>
          <button ref={primary} type="button" className="button primary" onClick={copy}>
            Copy to another store…
          </button>
        </>
      }
    >
      <p>
        Arbor never changes a {label} store: the tool that wrote it owns it, so Arbor only reads it. You asked to {notice.action}; nothing
        was changed.
      </p>
      <p>To keep a tidied copy, copy {which} into a store Arbor can write (a new one or an open one) and clean up there, or export {which} as a file.</p>
    </Modal>
  );
}
