import { readOnlyCapabilities, type StoreLayout } from '../layout';
import { chatgptExportAdapter } from './adapter';

/** ChatGPT's "Export data" download (docs/formats/chatgpt-export.md): read only, a real tree. */
export const chatgptExportLayout: StoreLayout = {
  format: chatgptExportAdapter.format,
  label: chatgptExportAdapter.label,
  summary: chatgptExportAdapter.summary,
  capabilities: readOnlyCapabilities('tree'),
  reader: chatgptExportAdapter,
};
