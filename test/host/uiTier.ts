import type { HostBinaries } from './provision';
import type { TierResult } from './tier';

export async function runUiTier(_host: HostBinaries, _vsix: string, _log: (line: string) => void): Promise<TierResult[]> {
  return [];
}
