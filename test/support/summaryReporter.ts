/**
 * Mocha's spec reporter plus one closing line, `N passed, M failed` (and `, K skipped`), the
 * summary CI reads.
 */
import * as Mocha from 'mocha';

const { EVENT_RUN_END } = Mocha.Runner.constants;

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const { passes = 0, failures = 0, pending = 0 } = runner.stats ?? {};
      const skipped = pending > 0 ? `, ${pending} skipped` : '';
      // Registered after the spec reporter's own listener, so this prints after its epilogue.
      Mocha.reporters.Base.consoleLog(`${passes} passed, ${failures} failed${skipped}`);
    });
  }
}

export = SummaryReporter;
