import type { SourceInfo } from '../../../shared/dto';

/**
 * Where the reader is, as the URL hash: `#source=<store path>&session=<id>&leaf=<id>&message=<id>`
 * (each value URI-encoded; leaf and message optional). The source goes by its path, which outlives
 * the server's per-run source ids, so a link still opens after `arbor serve` restarts on the same
 * stores. The token never goes here: `arbor serve` prints `/?token=…`, the page moves it into
 * sessionStorage and out of the address bar, and a link for another tab is that printed URL with
 * this hash after it. Electron keeps the same hash in its window state.
 */
export interface HashLocation {
  source: string;
  session: string;
  leaf: string | null;
  message: string | null;
}

export function readHash(hash: string): HashLocation | null {
  const params = new URLSearchParams(hash.replace(/^#\/?/, ''));
  const source = params.get('source');
  const session = params.get('session');
  if (!source || session === null) return null;
  return { source, session, leaf: params.get('leaf'), message: params.get('message') };
}

export function writeHash(at: HashLocation | null): string {
  if (!at) return '';
  const params = new URLSearchParams({ source: at.source, session: at.session });
  if (at.leaf !== null) params.set('leaf', at.leaf);
  if (at.message !== null) params.set('message', at.message);
  return `#${params.toString()}`;
}

/** The open source a link names: by path, else by id (a link written by hand). */
export function sourceOfLink(sources: readonly SourceInfo[], source: string): SourceInfo | undefined {
  return sources.find((s) => s.path === source) ?? sources.find((s) => s.id === source);
}
