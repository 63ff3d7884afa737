import { LAYOUTS } from '../core/catalog';
import { knownLayoutLines } from '../core/stores/layout';

/** Said after a path that holds no store: what Arbor does read, one layout a line, and where to look. */
export function knownLayoutsHelp(): string[] {
  return [
    'Arbor reads these layouts:',
    ...knownLayoutLines(LAYOUTS).map((line) => `  - ${line}`),
    'Their usual folders on this machine: arbor locations',
  ];
}
