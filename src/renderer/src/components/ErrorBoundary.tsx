import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** What failed, in the user's words: "this message", "the graph". */
  what: string;
  children: ReactNode;
  /** Changing it (a new session, a new message) clears a past failure. */
  resetKey?: unknown;
}

interface State {
  error: Error | null;
  resetKey: unknown;
}

/**
 * Content is untrusted and stores are damaged in ways nobody foresaw: a part that fails to draw
 * shows a note in its place instead of taking the whole window down with it.
 */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.resetKey ? { error: null, resetKey: props.resetKey } : null;
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`Arbor could not draw ${this.props.what}:`, error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="render-failure" role="alert">
        <span>
          Could not draw {this.props.what}: {this.state.error.message || this.state.error.name}
        </span>
        <button type="button" className="button small" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
