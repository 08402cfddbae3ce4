/**
 * A minimal event emitter with VS Code's `Event` shape, so the core can publish changes without
 * importing `vscode`. A listener that throws does not stop the others.
 */
export interface Disposable {
  dispose(): void;
}

export type Event<T> = (listener: (value: T) => void) => Disposable;

export class Emitter<T> implements Disposable {
  private listeners = new Set<(value: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch {
        // A consumer's bug must not break the token lifecycle or the other listeners.
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
