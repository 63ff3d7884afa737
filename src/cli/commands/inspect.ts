import { toIso } from '../../core/model/time';
import { warningJson, sessionJson } from '../json-shapes';
import { mappingOptions } from '../mapping-option';
import { allSessions, withSources } from '../sources';
import { renderTable, shortTime } from '../table';

export function inspectCommand(path: string, options: { json?: boolean; mapping?: string }, out: (text: string) => void): void {
  withSources([path], (found) => {
    const sources = found.sources.map((source) => {
      const described = source.describe();
      return { path: source.path, format: source.format, label: described.label, sessions: allSessions(source), warnings: described.warnings };
    });
    if (options.json) {
      out(JSON.stringify({
        sources: sources.map((s) => ({ path: s.path, format: s.format, sessions: s.sessions.map(sessionJson), warnings: s.warnings.map(warningJson) })),
        warnings: found.warnings.map(warningJson),
      }, null, 2));
      return;
    }
    const blocks: string[] = [];
    for (const s of sources) {
      blocks.push(`${s.path}\n  ${s.label} (${s.format}), ${s.sessions.length} session(s)`);
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
    for (const w of found.warnings) blocks.push(`! ${w.message}`);
    if (sources.length === 0) blocks.push('No session store found.');
    out(blocks.join('\n').trimEnd());
  }, mappingOptions([path], options.mapping));
}
