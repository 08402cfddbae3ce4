/**
 * How long the property-based tests run. The unit tier runs a quick number of cases per
 * property; `npm run fuzz` sets PANDADOC_FUZZ_RUNS for a long run and gets a closing total.
 * PANDADOC_FUZZ_SEED replays a run: every property starts from that one seed.
 */
import * as fc from 'fast-check';

/** Enough to catch the easy cases on every unit run while adding only a few seconds. */
const QUICK_RUNS = 200;

function envInteger(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text.trim() === '') {
    return undefined;
  }
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new Error(`${name} must be an integer`);
  }
  return value;
}

const LONG_RUN = envInteger('PANDADOC_FUZZ_RUNS');
export const NUM_RUNS = LONG_RUN ?? QUICK_RUNS;
// fast-check takes a 32-bit seed; one seed for all properties makes one number replay the run.
export const SEED = envInteger('PANDADOC_FUZZ_SEED') ?? Math.floor(Math.random() * 2 ** 31);

let properties = 0;
let cases = 0;

/** Checks `property` with the configured runs and seed; throws fast-check's report on failure. */
export function fuzz<Ts extends [unknown, ...unknown[]]>(property: fc.IProperty<Ts>): void {
  properties++;
  const details = fc.check(property, { numRuns: NUM_RUNS, seed: SEED });
  cases += details.numRuns;
  if (details.failed) {
    throw new Error(fc.defaultReportMessage(details));
  }
}

if (LONG_RUN !== undefined) {
  // A root hook (this module is first loaded outside any describe): one total for the run.
  after(() => {
    console.log(`fuzz: ${properties} properties, ${cases} cases, seed ${SEED}`);
  });
}
