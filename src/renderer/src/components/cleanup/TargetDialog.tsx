import { useArbor } from '../../store';
import type { CleanupTarget } from '../../store/cleanup-slice';
import { Modal } from '../Modal';
import { ApplyFooter } from './ApplyFooter';
import { PlanPreview, usePlan } from './PlanPreview';

/** Deleting chosen sessions (from the session list): the preview of exactly those, then the confirm. */
export function TargetDialog({ target }: { target: CleanupTarget }) {
  const close = useArbor((s) => s.closeCleanupTarget);
  const plan = usePlan(target.sourceId, target.operation, 120);
  return (
    <Modal title={target.title} onClose={close} className="cleanup-dialog" footer={<ApplyFooter sourceId={target.sourceId} plan={plan} onCancel={close} onDone={close} />}>
      <PlanPreview state={plan} />
    </Modal>
  );
}
