import type { FormatName } from '../../model/types';
import type { LayoutCleaner } from './cleaner';

/**
 * The cleanup side of a layout Arbor only reads (the agent CLIs' transcripts): every operation is
 * refused with the same plain reason, before anything is planned, so nothing can reach a write.
 */
export function readOnlyCleaner(format: FormatName): LayoutCleaner {
  const refuse = (): never => {
    throw new Error(`${format} stores are read only: Arbor never writes them`);
  };
  return {
    format,
    linear: false,
    unsupported: () => 'Arbor only reads this layout and never writes it; export its sessions, or import them into another store (Import…) and clean up there',
    sessionBytes: refuse,
    planRepair: refuse,
    touchedFiles: refuse,
    apply: refuse,
  };
}
