import { endLine, sessionLines } from '../interchange/encode';
import type { ExportWriter } from './writer';

/** Arbor's JSON lines (docs/INTERCHANGE.md): lossless, one record per line, an end line last. */
export const jsonlWriter: ExportWriter = {
  begin: () => '',
  session(s) {
    let text = '';
    for (const line of sessionLines(s)) text += `${line}\n`;
    return text;
  },
  end: (sessions) => `${endLine(sessions)}\n`,
};
