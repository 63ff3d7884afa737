import { ErrorBoundary } from './ErrorBoundary';
import { SessionList } from './SessionList';
import { SourceList } from './SourceList';
import { TextMatches } from './search/TextMatches';

export function Sidebar() {
  return (
    <aside className="sidebar" aria-label="Sources and sessions">
      <ErrorBoundary what="the sources">
        <SourceList />
      </ErrorBoundary>
      <ErrorBoundary what="the session list">
        <SessionList />
      </ErrorBoundary>
      <ErrorBoundary what="the text matches">
        <TextMatches />
      </ErrorBoundary>
    </aside>
  );
}
