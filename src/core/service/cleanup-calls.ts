import type { ApiHandlers } from '../../shared/contract';
import { ApiError } from '../../shared/errors';
import { applyCleanup, layoutOfSource, planCleanup } from '../catalog';
import type { CleanupPlan } from '../cleanup';
import { listTrash, purgeBackup, restoreBackup } from '../safety';
import { PendingMap, type ServiceContext } from './context';

type CleanupCalls = Pick<ApiHandlers, 'cleanup.operations' | 'cleanup.plan' | 'cleanup.apply' | 'trash.list' | 'trash.restore' | 'trash.purge'>;

/** Cleanup and the trash over the API: preview first, apply exactly the preview, undo from the trash. */
export function cleanupCalls(ctx: ServiceContext): CleanupCalls {
  const plans = new PendingMap<CleanupPlan>('plan');
  const root = () => (ctx.trashDir ? { root: ctx.trashDir } : {});
  return {
    'cleanup.operations': ({ sourceId }) => [...layoutOfSource(ctx.source(sourceId)).capabilities.cleanups],
    'cleanup.plan': ({ sourceId, operation }) => {
      const plan = planCleanup(ctx.source(sourceId), operation);
      return { planId: plans.add(plan), plan };
    },
    'cleanup.apply': async ({ planId, operationId }) => {
      const plan = plans.take(planId);
      if (!plan) throw new ApiError('not-found', 'That preview is no longer available; make the preview again.');
      ctx.progress.report(operationId, { label: `Backing up and cleaning ${plan.storePath}`, done: 0, total: null });
      try {
        return await applyCleanup(plan, ctx.trashDir ? { trashDir: ctx.trashDir } : {});
      } finally {
        ctx.storeChanged(plan.storePath);
        ctx.progress.finish(operationId);
      }
    },
    'trash.list': () => listTrash(ctx.trashDir).entries,
    'trash.restore': async ({ id }) => {
      const result = await restoreBackup(id, root());
      ctx.storeChanged(result.restored.storePath);
      return result;
    },
    'trash.purge': ({ id }) => {
      purgeBackup(id, ctx.trashDir);
      return { purged: true };
    },
  };
}
