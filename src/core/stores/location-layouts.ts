import { codexCliLayout } from './codex-cli';
import { geminiCliLayout } from './gemini-cli';
import type { StoreLayout } from './layout';

/**
 * The layouts whose default folders "Open known locations…" and `arbor locations` look at. The
 * store registry will list every layout's descriptor; until then this is that list for the
 * layouts that name their folders.
 */
export const LOCATION_LAYOUTS: readonly StoreLayout[] = [codexCliLayout, geminiCliLayout];
