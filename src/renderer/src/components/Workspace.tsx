import type { ReactNode } from 'react';
import { useMediaQuery } from '../lib/use-media-query';
import { useArbor } from '../store';
import type { NarrowTab } from '../store/types';
import { BranchList } from './BranchList';
import { ErrorBoundary } from './ErrorBoundary';
import { GraphView } from './graph/GraphView';
import { SessionHeader } from './SessionHeader';
import { Splitter } from './Splitter';
import { TranscriptPane } from './TranscriptPane';

const TABS: Array<{ id: NarrowTab; label: string }> = [
  { id: 'transcript', label: 'Transcript' },
  { id: 'graph', label: 'Graph' },
  { id: 'branches', label: 'Branches' },
];

/** Narrow windows get one pane at a time behind tabs instead of a cramped split. */
function NarrowWorkspace({ colorMode }: { colorMode: 'light' | 'dark' }) {
  const tab = useArbor((s) => s.narrowTab);
  const setTab = useArbor((s) => s.setNarrowTab);
  return (
    <>
      <div className="tabs" role="tablist" aria-label="View">
        {TABS.map((t) => (
          <button
            key={t.id}
            id={`tab-${t.id}`}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            aria-controls={`tabpanel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            className={tab === t.id ? 'tab active' : 'tab'}
            onClick={() => setTab(t.id)}
            onKeyDown={(e) => {
              const i = TABS.findIndex((x) => x.id === tab);
              const next = e.key === 'ArrowRight' ? (i + 1) % TABS.length : e.key === 'ArrowLeft' ? (i + TABS.length - 1) % TABS.length : -1;
              if (next < 0) return;
              e.preventDefault();
              e.stopPropagation();
              setTab(TABS[next].id);
              document.getElementById(`tab-${TABS[next].id}`)?.focus();
            }}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="tab-panel" role="tabpanel" id={`tabpanel-${tab}`} aria-labelledby={`tab-${tab}`}>
        <Guarded>{tab === 'transcript' ? <TranscriptPane /> : tab === 'graph' ? <GraphView colorMode={colorMode} /> : <BranchList />}</Guarded>
      </div>
    </>
  );
}

function SplitWorkspace({ colorMode }: { colorMode: 'light' | 'dark' }) {
  const split = useArbor((s) => s.split);
  return (
    <div className="split" style={{ gridTemplateColumns: `minmax(0, ${split}fr) 6px minmax(0, ${1 - split}fr)` }}>
      <Guarded what="the transcript">
        <TranscriptPane />
      </Guarded>
      <Splitter />
      <div className="side-column">
        <Guarded what="the graph">
          <GraphView colorMode={colorMode} />
        </Guarded>
        <Guarded what="the branch list">
          <BranchList />
        </Guarded>
      </div>
    </div>
  );
}

/** A failure in one pane leaves the others working; opening another session clears it. */
function Guarded({ what = 'this view', children }: { what?: string; children: ReactNode }) {
  const sessionId = useArbor((s) => s.selectedSessionId);
  return (
    <ErrorBoundary what={what} resetKey={sessionId}>
      {children}
    </ErrorBoundary>
  );
}

export function Workspace({ colorMode }: { colorMode: 'light' | 'dark' }) {
  const narrow = useMediaQuery('(max-width: 1099px)');
  return (
    <main className="workspace">
      <Guarded what="the session header">
        <SessionHeader />
      </Guarded>
      {narrow ? <NarrowWorkspace colorMode={colorMode} /> : <SplitWorkspace colorMode={colorMode} />}
    </main>
  );
}
