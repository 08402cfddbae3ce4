/** What the scripts of this folder share to run as commands while staying importable by tests. */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Runs `main(argv)` when the module at `moduleUrl` is the script node was started with (not when
 * a test imports it), and exits with the code it resolves to; a failure is printed, exit 1.
 */
export function runAsCommand(moduleUrl, main) {
  if (!process.argv[1] || realpathSync(process.argv[1]) !== fileURLToPath(moduleUrl)) {
    return;
  }
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
