/** Loading the plain-JavaScript scripts (ES modules, `.mjs`) into the CommonJS tests. */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../host/paths';

// Under `module: commonjs`, TypeScript turns `import()` into `require()`, which cannot load an ES
// module on every Node release; a function built at run time keeps the real `import()`.
const dynamicImport = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;

/** The module at `file`, a path from the project root (`scripts/package.mjs`), typed by the caller. */
export async function importScript<T>(file: string): Promise<T> {
  return (await dynamicImport(pathToFileURL(path.join(PROJECT_ROOT, file)).href)) as T;
}
