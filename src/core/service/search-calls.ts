import type { ApiHandlers } from '../../shared/contract';
import type { FindMatch, SearchHit, SearchStatus } from '../../shared/search-dto';
import type { StoreWarning } from '../model/types';
import type { StoreSource } from '../adapters/adapter';
import { cacheRoot } from '../cache/cache-dir';
import { layoutOfSource } from '../catalog';
import { findMatches, foldText, makeSnippet, messageDocs, searchTerms, SourceIndex } from '../search';
import type { ProgressBoard } from './progress';
import type { OpenSession } from './session-cache';

type SearchCalls = Pick<ApiHandlers, 'search.query' | 'search.status' | 'session.find'>;

export interface SearchContext {
  readonly progress: ProgressBoard;
  sourceIds(): string[];
  source(sourceId: string): StoreSource;
  session(sourceId: string, sessionId: string): OpenSession;
}

/**
 * One search index per open source of this service (no process-wide state: a service in a worker
 * keeps its own), created on first use and closed with its source.
 */
export class SearchIndexes {
  private readonly indexes = new Map<string, { source: StoreSource; index: SourceIndex }>();

  constructor(private readonly root: string = cacheRoot()) {}

  of(sourceId: string, source: StoreSource): SourceIndex {
    const known = this.indexes.get(sourceId);
    if (known && known.source === source) return known.index;
    known?.index.close();
    const layout = layoutOfSource(source);
    const index = new SourceIndex(source, { root: this.root, table: layout.search, linear: layout.capabilities.history === 'linear' });
    this.indexes.set(sourceId, { source, index });
    return index;
  }

  peek(sourceId: string): SourceIndex | undefined {
    return this.indexes.get(sourceId)?.index;
  }

  forget(sourceId: string): void {
    this.indexes.get(sourceId)?.index.close();
    this.indexes.delete(sourceId);
  }

  closeAll(): void {
    for (const { index } of this.indexes.values()) index.close();
    this.indexes.clear();
  }
}

export function searchCalls(ctx: SearchContext, indexes: SearchIndexes): SearchCalls {
  return {
    'search.query': async ({ query, sourceIds, roles, sessionId, includeTools, since, until, limit = 100, operationId }) => {
      const ids = sourceIds ?? ctx.sourceIds();
      const hits: SearchHit[] = [];
      const warnings: StoreWarning[] = [];
      let total = 0;
      let exact = true;
      try {
        for (const [n, sourceId] of ids.entries()) {
          const source = ctx.source(sourceId);
          const index = indexes.of(sourceId, source);
          ctx.progress.report(operationId, { label: `Indexing ${source.path}`, done: n, total: ids.length });
          let result;
          try {
            result = await index.query(query, { roles, sessionId, includeTools, since, until }, limit);
          } catch (error) {
            // One store that cannot be read (gone, locked, damaged) leaves the others searchable.
            warnings.push({ code: 'search-failed', message: `${source.path} could not be searched: ${(error as Error).message}`, file: source.path });
            continue;
          } finally {
            warnings.push(...index.warnings.splice(0));
          }
          total += result.total;
          exact &&= result.exact;
          const titles = new Map<string, string | null>();
          for (const h of result.hits) {
            if (!titles.has(h.sessionId)) titles.set(h.sessionId, safeTitle(source, h.sessionId));
            // Field by field, not by spreading (a spread hit is a slow dictionary object; see source-index.ts).
            hits.push({
              sourceId,
              path: source.path,
              format: source.format,
              sessionId: h.sessionId,
              sessionTitle: titles.get(h.sessionId) ?? null,
              messageId: h.messageId,
              role: h.role,
              kind: h.kind,
              timestamp: h.timestamp,
              snippet: h.snippet,
              onActivePath: h.onActivePath,
              leafId: h.leafId,
              lane: h.lane,
            });
          }
        }
      } finally {
        ctx.progress.finish(operationId);
      }
      hits.sort((a, b) => (b.timestamp ?? -Infinity) - (a.timestamp ?? -Infinity));
      return { total, exact, hits: hits.slice(0, limit), warnings };
    },
    'search.status': ({ sourceIds, start }) => {
      const ids = sourceIds ?? ctx.sourceIds();
      return ids.map((sourceId): SearchStatus => {
        let index = indexes.peek(sourceId);
        if (!index && start) index = indexes.of(sourceId, ctx.source(sourceId));
        // Building starts in the background; its errors reach the caller of the next search.
        if (start && index) index.update().catch(() => undefined);
        if (!index) return { sourceId, phase: 'idle', done: 0, total: null };
        return { sourceId, ...index.progress() };
      });
    },
    'session.find': ({ sourceId, sessionId, query, allBranches }) => {
      const open = ctx.session(sourceId, sessionId);
      const terms = searchTerms(query).terms;
      if (terms.length === 0 || !foldText(query).trim()) return { matches: [], total: 0 };
      const { index } = open.tree;
      const onPath = new Set<number>();
      const path: number[] = [];
      for (let n = open.activeLeaf; n >= 0; n = index.parent[n]) {
        onPath.add(n);
        path.push(n);
      }
      path.reverse();
      const order = allBranches ? [...path, ...Array.from(index.preorder).filter((n) => !onPath.has(n))] : path;
      const matches: FindMatch[] = [];
      let total = 0;
      for (const n of order) {
        const m = index.nodes[n];
        const text = messageDocs(m).map((d) => d.text).join('\n');
        const found = findMatches(text, terms);
        if (found.length === 0) continue;
        total += found.length;
        const on = onPath.has(n);
        if (matches.length < 5000) {
          matches.push({ messageId: m.id, role: m.role, onActivePath: on, leafId: on ? null : index.nodes[index.newestLeaf[n]].id, snippet: makeSnippet(text, terms), count: found.length });
        }
      }
      return { matches, total };
    },
  };
}

function safeTitle(source: StoreSource, sessionId: string): string | null {
  try {
    return source.getSession(sessionId)?.title ?? null;
  } catch {
    return null;
  }
}
