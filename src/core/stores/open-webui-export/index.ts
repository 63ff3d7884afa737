import { defineLayout, readOnlyCapabilities } from '../layout';
import { openWebuiExportAdapter } from './reader';

/** Open WebUI's exported JSON file: read-only (copy it into a store, or export it, to move it). */
export const openWebuiExportLayout = defineLayout({
  reader: openWebuiExportAdapter,
  storage: 'files',
  capabilities: readOnlyCapabilities('tree'),
});
