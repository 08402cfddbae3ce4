/**
 * Bundle bytes: this extension's production bundle against the built-in GitHub authentication's
 * Node bundle inside the installed code-server (the same file a VS Code remote host runs).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../host/paths';
import type { HostBinaries } from '../host/provision';

export const OURS_BUNDLE = path.join('dist', 'extension.js');
/** Inside the code-server package. */
export const REFERENCE_BUNDLE = path.join('lib', 'vscode', 'extensions', 'github-authentication', 'dist', 'extension.js');

export interface BundleFigures {
  oursBytes: number;
  referenceBytes: number;
  /** The five inputs with the most bytes in the bundle, from esbuild's metafile. */
  largest: { input: string; bytes: number }[];
}

/** The metafile esbuild.mjs writes beside the bundle. */
interface Metafile {
  outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
}

function largestInputs(bundle: string): { input: string; bytes: number }[] {
  const metafile = JSON.parse(fs.readFileSync(`${bundle}.meta.json`, 'utf8')) as Metafile;
  const inputs = Object.values(metafile.outputs).flatMap((output) => Object.entries(output.inputs));
  return inputs
    .map(([input, { bytesInOutput }]) => ({ input, bytes: bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 5);
}

/** The code-server package folder: its entry script is `<package>/out/node/entry.js`. */
function codeServerPackage(host: HostBinaries): string {
  return path.resolve(path.dirname(host.codeServer), '..', '..');
}

export function measureBundles(host: HostBinaries): BundleFigures {
  const ours = path.join(PROJECT_ROOT, OURS_BUNDLE);
  const reference = path.join(codeServerPackage(host), REFERENCE_BUNDLE);
  const text = fs.readFileSync(ours, 'utf8');
  // A development build carries a source map link; comparing it would flatter nobody.
  if (/\/\/# sourceMappingURL=/.test(text)) {
    throw new Error(`${OURS_BUNDLE} is a development build: build it with node esbuild.mjs --production (npm run bench does)`);
  }
  return { oursBytes: Buffer.byteLength(text), referenceBytes: fs.statSync(reference).size, largest: largestInputs(ours) };
}
