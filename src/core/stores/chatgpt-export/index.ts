import { defineLayout, readOnlyCapabilities } from '../layout';
import { chatgptExportAdapter } from './adapter';

/** ChatGPT's "Export data" download (docs/formats/chatgpt-export.md): read only, a real tree. */
export const chatgptExportLayout = defineLayout({
  storage: 'files',
  capabilities: readOnlyCapabilities('tree'),
  reader: chatgptExportAdapter,
});
