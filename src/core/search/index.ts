/** Full-text search over open sources: an FTS5 index per source in Arbor's cache folder (see source-index.ts). */
export { SourceIndex, type QueryResult, type ResolvedHit, type SourceIndexOptions } from './source-index';
export { searchTerms, foldText, type SearchTerms } from './query-text';
export { findMatches, makeSnippet } from './snippet';
export { messageDocs } from './message-docs';
export type { IndexProgress, SearchFilters, SearchKind, SearchTable, Snippet } from './types';
