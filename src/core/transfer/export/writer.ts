import type { TransferSession } from '../session';

/**
 * One export format. The orchestrator (export.ts) feeds it one session at a time and writes what it
 * returns, so a writer never sees more than one session and never touches the output itself.
 */
export interface ExportWriter {
  /** Text before the first session. */
  begin(info: ExportInfo): string;
  /** The text of one session (the `index`-th, from 0). */
  session(s: TransferSession, index: number): string;
  /** Text after the last session. */
  end(sessions: number): string;
}

export interface ExportInfo {
  /** Sessions that will be written, when known up front. */
  total: number;
  /** When the export was made (epoch ms). */
  now: number;
}
