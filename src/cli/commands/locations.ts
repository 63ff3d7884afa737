import { plural } from '../../core/model/plural';
import { knownLocations } from '../../core/stores/known-locations';
import { LAYOUTS } from '../../core/catalog';
import { renderTable } from '../table';

/**
 * `arbor locations [--json]`: where the tools Arbor reads keep their sessions on this machine (the
 * home folder and each tool's own override variable), whether the folder is there, and how many
 * sessions it holds. JSON: `[{layout, label, path, exists, sessions}]`.
 */
export function locationsCommand(options: { json?: boolean }, out: (text: string) => void): void {
  const found = knownLocations(LAYOUTS);
  if (options.json) {
    out(JSON.stringify(found.map(({ layout, label, path, exists, sessions }) => ({ layout, label, path, exists, sessions })), null, 2));
    return;
  }
  const rows = found.map((f) => [f.label, f.exists ? (f.problem ? `unreadable: ${f.problem}` : f.sessions) : 'not here', f.path]);
  const here = found.filter((f) => f.exists).length;
  out(`${renderTable(['LOCATION', 'SESSIONS', 'PATH'], rows, [32, 40])}\n\n${here} of ${plural(found.length, 'known location')} on this machine; open one with \`arbor serve PATH\` or \`arbor inspect PATH\`.`);
}
