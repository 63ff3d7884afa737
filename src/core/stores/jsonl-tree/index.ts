import { cleanupsOf, defineLayout } from '../layout';
import { jsonlTreeCleaner } from './cleaner';
import { jsonlTreeCodec } from './codec';
import { jsonlTreeAdapter } from './reader';

/** FORMATS.md §2 (seed 001): a folder of `sessions.json` and one append-only `messages.jsonl` tree per session. */
export const jsonlTreeLayout = defineLayout({
  reader: jsonlTreeAdapter,
  storage: 'files',
  capabilities: { transcripts: true, history: 'tree', cleanups: cleanupsOf(jsonlTreeCleaner), importTarget: true, readOnly: false },
  cleaner: jsonlTreeCleaner,
  codec: jsonlTreeCodec,
  newStoreHint: 'a folder: sessions.json and one messages.jsonl per session; keeps branches',
});
