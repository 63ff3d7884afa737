import type { OperationProgress } from '../../shared/dto';

/**
 * Progress of long calls, under ids the renderer chooses and polls (progress.get): the same for IPC
 * and HTTP, with no push channel needed. Finished entries linger briefly so a last poll sees 100%.
 */
export class ProgressBoard {
  private readonly entries = new Map<string, OperationProgress>();

  report(operationId: string | undefined, progress: OperationProgress): void {
    if (operationId) this.entries.set(operationId, progress);
  }

  get(operationId: string): OperationProgress | null {
    return this.entries.get(operationId) ?? null;
  }

  finish(operationId: string | undefined): void {
    if (!operationId) return;
    setTimeout(() => this.entries.delete(operationId), 10_000).unref?.();
  }
}
