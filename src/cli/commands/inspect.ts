import { plural } from '../../core/model/plural';
import { toIso } from '../../core/model/time';
import { warningJson, sessionJson } from '../json-shapes';
import { CliError } from '../errors';
import { knownLayoutsHelp } from '../known-layouts';
import { mappingOptions } from '../mapping-option';
import { allSessions, withSources } from '../sources';
import { renderTable, shortTime } from '../table';

export function inspectCommand(path: string, options: { json?: boolean; mapping?: string }, out: (text: string) => void): void {
  withSources([path], (found) => {
    const sources = found.sources.map((source) => {
      const described = source.describe();
      return { path: source.path, format: source.format, label: described.label, sessions: allSessions(source), warnings: described.warnings };
    });
    // A path with nothing to inspect is a failure (exit 1), said with what Arbor does read.
    const nothing = () => new CliError(found.warnings.map((w) => w.message).join(' ') || `no session store found at ${path}`, knownLayoutsHelp());
    if (options.json) {
      out(JSON.stringify({
        sources: sources.map((s) => ({ path: s.path, format: s.format, sessions: s.sessions.map(sessionJson), warnings: s.warnings.map(warningJson) })),
        warnings: found.warnings.map(warningJson),
      }, null, 2));
      if (sources.length === 0) throw nothing();
      return;
    }
    const blocks: string[] = [];
    for (const s of sources) {
      blocks.push(`${s.path}\n  ${s.label} (${s.format}), ${plural(s.sessions.length, 'session')}`);
      for (const w of s.warnings) blocks.push(`  ! ${w.message}`);
      if (s.sessions.length) {
        const rows = s.sessions.map((x) => [
          x.id,
          x.title,
          x.messageCount === null ? null : x.storedMessageCount !== null && x.storedMessageCount !== x.messageCount ? `${x.messageCount} (stored ${x.storedMessageCount})` : x.messageCount,
          shortTime(toIso(x.updatedAt)),
          x.expiresAt === null ? null : `${shortTime(toIso(x.expiresAt))}${x.expired ? ' (expired)' : ''}`,
          x.status,
          x.warnings.length || null,
        ]);
        blocks.push(renderTable(['ID', 'TITLE', 'MESSAGES', 'UPDATED', 'EXPIRES', 'STATUS', 'WARNINGS'], rows, [40, 48]).replace(/^/gm, '  '));
      }
      blocks.push('');
    }
    if (sources.length === 0) throw nothing();
    for (const w of found.warnings) blocks.push(`! ${w.message}`);
    out(blocks.join('\n').trimEnd());
  }, mappingOptions([path], options.mapping));
}
