import { Component, type ReactNode } from 'react';

/** Keeps a rendering bug from blanking the window: shows a sentence and a way out. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override render() {
    if (this.state.failed) {
      return (
        <main className="fatal" role="alert">
          <h1>Something went wrong in this window</h1>
          <p>Your sessions are safe. Reload the window to continue.</p>
          <button type="button" onClick={() => location.reload()}>
            Reload
          </button>
        </main>
      );
    }
    return this.props.children;
  }
}
