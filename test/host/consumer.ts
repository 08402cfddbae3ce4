/** The test consumer extension (test/fixtures/consumer-extension), packaged per run. */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { PROJECT_ROOT, vscePackageArgs } from './paths';

/**
 * The second extension the tests call getSession and getApi(1) from, installed as a user would install
 * any extension. (The workbench payload reads its keys into a map, so it can carry only one
 * extensionDevelopmentPath: the extension under test.)
 */
export function packageConsumer(runDir: string): string {
  const vsix = path.join(runDir, 'pandadoc-consumer.vsix');
  const [vsce, ...args] = vscePackageArgs(vsix);
  const result = spawnSync(process.execPath, [vsce, ...args, '--skip-license'], {
    cwd: path.join(PROJECT_ROOT, 'test', 'fixtures', 'consumer-extension'),
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`packaging the test consumer extension failed:\n${result.stdout}${result.stderr}`);
  }
  return vsix;
}
