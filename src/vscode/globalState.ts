/**
 * The extension's global state as every part of it writes it: through one SerialState (see
 * core/base/stateStore.ts for the echo that loses a write when two are in flight), shaped as the
 * `vscode.Memento` the adapters take.
 */
import type * as vscode from 'vscode';
import { SerialState } from '../core/base/stateStore';

export class SerialMemento implements vscode.Memento {
  private readonly serial: SerialState;

  constructor(private readonly memento: vscode.Memento) {
    this.serial = new SerialState(memento);
  }

  keys(): readonly string[] {
    return this.memento.keys();
  }

  get<T>(key: string): T | undefined;
  get<T>(key: string, defaultValue: T): T;
  get<T>(key: string, defaultValue?: T): T | undefined {
    const value = this.serial.get(key) as T | undefined;
    return value === undefined ? defaultValue : value;
  }

  update(key: string, value: unknown): Thenable<void> {
    return this.serial.update(key, value);
  }
}
