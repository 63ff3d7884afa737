import { ArborService } from '../../core/service/arbor-service';
import { toIso } from '../../core/model/time';
import type { SearchHit, SearchRole } from '../../shared/search-dto';
import { CliError } from '../errors';

const ROLES: readonly SearchRole[] = ['user', 'assistant', 'system', 'tool', 'unknown'];

export interface SearchOptions {
  json?: boolean;
  limit?: string;
  role?: string[];
  session?: string;
  tools?: boolean;
}

/**
 * `arbor search QUERY PATH…`: the app's search over the stores at the paths, through the same
 * service (the index is built in Arbor's cache folder the first time, then kept up to date).
 */
export async function searchCommand(query: string, paths: string[], options: SearchOptions, out: (text: string) => void): Promise<void> {
  const limit = options.limit === undefined ? 50 : Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new CliError(`--limit must be a whole number from 1 to 1000, not "${options.limit}"`);
  const roles = (options.role ?? []).flatMap((r) => r.split(',')).map((r) => r.trim().toLowerCase()).filter(Boolean);
  for (const r of roles) if (!ROLES.includes(r as SearchRole)) throw new CliError(`--role must be one of ${ROLES.join(', ')}, not "${r}"`);
  const service = new ArborService({ info: { version: 'cli', host: 'browser', canPickPaths: false } });
  try {
    const opened = service.open(paths);
    for (const w of opened.warnings) process.stderr.write(`arbor: ${w.message}\n`);
    if (opened.opened.length === 0) throw new CliError(`no session store found at ${paths.join(', ')}`);
    const result = await service.handlers['search.query']({
      query,
      sourceIds: opened.opened.map((s) => s.id),
      roles: roles.length ? (roles as SearchRole[]) : undefined,
      sessionId: options.session,
      includeTools: options.tools !== false,
      limit,
    });
    for (const w of result.warnings) process.stderr.write(`arbor: ${w.message}\n`);
    if (options.json) {
      out(JSON.stringify({ total: result.total, hits: result.hits.map(hitJson) }, null, 2));
      return;
    }
    if (result.hits.length === 0) {
      out(`No message matches "${query}".`);
      return;
    }
    for (const h of result.hits) out(hitLine(h));
    const more = result.total > result.hits.length ? ` (showing ${result.hits.length}; --limit N for more)` : '';
    out(`${result.total.toLocaleString('en')}${result.exact ? '' : '+'} matching message${result.total === 1 ? '' : 's'}${more}`);
  } finally {
    service.closeAll();
  }
}

function hitJson(h: SearchHit) {
  return { path: h.path, format: h.format, sessionId: h.sessionId, messageId: h.messageId, role: h.role, timestamp: toIso(h.timestamp), snippet: h.snippet.text, onActivePath: h.onActivePath };
}

/** One line: session, message, role, where it is, and the snippet with the matches in [brackets]. */
function hitLine(h: SearchHit): string {
  let marked = '';
  let at = 0;
  for (const [s, e] of h.snippet.highlights) {
    marked += `${h.snippet.text.slice(at, s)}[${h.snippet.text.slice(s, e)}]`;
    at = e;
  }
  marked += h.snippet.text.slice(at);
  const branch = h.onActivePath ? 'active branch' : h.leafId ? `branch of leaf ${h.leafId}` : 'off the active branch';
  const kind = h.kind === 'text' ? '' : ` ${h.kind}`;
  return `${h.sessionId}  ${h.messageId}  ${h.role}${kind}  (${branch})  ${marked.replace(/\p{Cc}/gu, ' ')}`;
}
