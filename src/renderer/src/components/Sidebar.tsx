import { SessionList } from './SessionList';
import { SourceList } from './SourceList';

export function Sidebar() {
  return (
    <aside className="sidebar" aria-label="Sources and sessions">
      <SourceList />
      <SessionList />
    </aside>
  );
}
