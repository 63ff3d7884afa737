import { defineLayout, readOnlyCapabilities } from '../layout';
import { sqlMappingAdapter } from './reader';

/**
 * Any SQLite chat store through a column mapping: read-only (Arbor knows only the columns the user
 * named, not what else the backend keeps or expects), so copy and export are offered instead.
 */
export const sqlMappingLayout = defineLayout({
  reader: sqlMappingAdapter,
  storage: 'sqlite',
  capabilities: readOnlyCapabilities('tree'),
});
