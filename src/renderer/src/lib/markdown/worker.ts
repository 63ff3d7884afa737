import { formatMarkdown, type Formatted } from './pipeline';

/**
 * The formatting worker: parses markdown off the UI thread, so a message that takes the parser
 * long can never freeze the window; the page gives each job a time budget and ends the worker
 * when it is spent. It holds no state and reaches nothing but its own messages.
 */

export interface FormatRequest {
  id: number;
  text: string;
}

export interface FormatResponse {
  id: number;
  result: Formatted;
}

interface WorkerScope {
  onmessage: ((event: MessageEvent<FormatRequest>) => void) | null;
  postMessage(message: FormatResponse): void;
}

const scope = self as unknown as WorkerScope;
scope.onmessage = (event) => {
  const { id, text } = event.data;
  scope.postMessage({ id, result: formatMarkdown(text) });
};
