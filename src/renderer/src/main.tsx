import '../../shared/zod-config';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles/theme.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/sidebar.css';
import './styles/transcript.css';
import './styles/graph.css';
import './styles/lanes.css';
import './styles/dialogs.css';
import './styles/mapping.css';
import { App } from './App';
import { ErrorBoundary } from './components/ErrorBoundary';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <ErrorBoundary what="the app">
        <App />
      </ErrorBoundary>
    </StrictMode>,
  );
}
