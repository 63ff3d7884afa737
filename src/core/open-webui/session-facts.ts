import { parseJsonColumn } from '../adapters/sqlite-common';
import type { SessionFields } from '../model/types';

/** What Open WebUI's sidebar shows about a chat besides its title: owner, folder, tags, pinned, archived, shared. */
export interface ChatFacts {
  userId: string | null;
  /** The owner as people know them ("Ada <ada@example.com>"), else the id. */
  user: string | null;
  archived: boolean;
  pinned: boolean;
  folder: string | null;
  /** The chat has a share link. */
  shared: boolean;
  /** This row is the copy a share link shows, of the chat with this id. */
  shareCopyOf: string | null;
  tags: string[];
}

export function chatFields(f: ChatFacts): SessionFields {
  return {
    user: f.user,
    userId: f.userId,
    folder: f.folder,
    tags: f.tags.length ? f.tags.join(', ') : null,
    pinned: f.pinned,
    archived: f.archived,
    shared: f.shared,
    ...(f.shareCopyOf !== null ? { shareCopyOf: f.shareCopyOf } : {}),
  };
}

export function chatBadges(f: ChatFacts): string[] {
  return [
    ...(f.pinned ? ['pinned'] : []),
    ...(f.archived ? ['archived'] : []),
    ...(f.shared ? ['shared'] : []),
    ...(f.shareCopyOf !== null ? ['share-link copy'] : []),
    ...(f.folder !== null ? [`folder ${f.folder}`] : []),
    ...f.tags.map((t) => `#${t}`),
  ];
}

/** `meta.tags`: the tag ids newer versions keep on the row (the JSON's own `tags` list stays empty). */
export function readMetaTags(meta: unknown): string[] {
  const parsed = parseJsonColumn(meta);
  if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) return [];
  const tags = (parsed.value as { tags?: unknown }).tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
}
