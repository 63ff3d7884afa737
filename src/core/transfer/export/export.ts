import type { StoreLayout } from '../../stores/layout';
import type { Writable } from 'node:stream';
import type { StoreSource } from '../../adapters/adapter';
import { StoreReader } from './from-store';
import { StreamSink } from './sink';
import { htmlWriter } from './write-html';
import { jsonWriter } from './write-json';
import { jsonlWriter } from './write-jsonl';
import { markdownWriter } from './write-markdown';
import type { ExportWriter } from './writer';

/**
 * Export of one session, a selection, or whole sources, in any of the four formats, streamed: each
 * session is loaded, written and let go before the next, with backpressure from the output, and
 * progress is reported after every session.
 */

export const EXPORT_FORMATS = ['jsonl', 'json', 'md', 'html'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportProgress {
  /** Sessions written so far. */
  done: number;
  total: number;
  /** Messages written so far. */
  messages: number;
}

export interface ExportOptions {
  /** The layouts Arbor knows (the registry's list, handed down by the caller). */
  layouts: readonly StoreLayout[];
  format: ExportFormat;
  /** Only these sessions (looked up in the sources in order); all sessions when absent. */
  sessionIds?: readonly string[];
  /** Markdown and HTML: every branch, not just the active one. */
  allBranches?: boolean;
  /** Markdown and HTML: name the source's local path (left out by default; the lossless formats always keep it). */
  includePaths?: boolean;
  onProgress?: (progress: ExportProgress) => void;
  /** The export's timestamp (tests fix it). */
  now?: number;
}

export interface ExportSummary {
  sessions: number;
  messages: number;
}

export class SessionNotFoundError extends Error {
  override name = 'SessionNotFoundError';
}

export function writerFor(format: ExportFormat, allBranches: boolean, includePaths = false): ExportWriter {
  switch (format) {
    case 'jsonl':
      return jsonlWriter;
    case 'json':
      return jsonWriter;
    case 'md':
      return markdownWriter({ allBranches, includePaths });
    case 'html':
      return htmlWriter({ allBranches, includePaths });
  }
}

export async function exportSessions(sources: readonly StoreSource[], options: ExportOptions, out: Writable): Promise<ExportSummary> {
  const readers = sources.map((s) => new StoreReader(s, options.layouts));
  try {
    const plan = planExport(readers, options.sessionIds);
    const total = plan.reduce((n, p) => n + p.reader.count(p.ids), 0);
    const writer = writerFor(options.format, options.allBranches === true, options.includePaths === true);
    const sink = new StreamSink(out);
    await sink.write(writer.begin({ total, now: options.now ?? Date.now() }));
    const progress: ExportProgress = { done: 0, total, messages: 0 };
    for (const { reader, ids } of plan) {
      for (const id of reader.ids(ids)) {
        const session = reader.load(id);
        // Gone since it was listed (a backend's cleanup): the export holds what is there.
        if (!session) continue;
        await sink.write(writer.session(session, progress.done));
        progress.done++;
        progress.messages += session.messages.length;
        options.onProgress?.({ ...progress });
      }
    }
    await sink.write(writer.end(progress.done));
    await sink.flush();
    return { sessions: progress.done, messages: progress.messages };
  } finally {
    for (const r of readers) r.close();
  }
}

/** Which reader exports which ids; a selected id no source holds fails before anything is written. */
function planExport(readers: StoreReader[], selection: readonly string[] | undefined): Array<{ reader: StoreReader; ids: string[] | undefined }> {
  if (!selection) return readers.map((reader) => ({ reader, ids: undefined }));
  const byReader = new Map<StoreReader, string[]>();
  for (const id of new Set(selection)) {
    const reader = readers.find((r) => r.has(id));
    if (!reader) throw new SessionNotFoundError(`no session "${id}" in ${readers.length === 1 ? readers[0].source.path : `the ${readers.length} sources given`}`);
    byReader.set(reader, [...(byReader.get(reader) ?? []), id]);
  }
  return [...byReader].map(([reader, ids]) => ({ reader, ids }));
}
