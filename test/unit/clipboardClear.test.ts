import * as assert from 'node:assert/strict';
import { type Clipboard, ClipboardClearer, clearNotice, formatClearDelay, type Timers } from '../../src/core/tools/clipboardClear';
import { assertNoSecrets, assertSameSecret } from '../support/assertions';
import { CapturingLogger } from '../support/doubles';

const TOKEN = 'pandadoc-access-token-0123456789abcdef';
const OTHER_TOKEN = 'pandadoc-access-token-fedcba9876543210';

/** Timers that fire only when the test says so; `fire` waits for what the callback started. */
class ManualTimers implements Timers {
  private pending: { ms: number; callback: () => unknown }[] = [];

  start(ms: number, callback: () => unknown): () => void {
    const timer = { ms, callback };
    this.pending.push(timer);
    return () => {
      this.pending = this.pending.filter((candidate) => candidate !== timer);
    };
  }

  delays(): number[] {
    return this.pending.map((timer) => timer.ms);
  }

  async fireAll(): Promise<void> {
    const due = this.pending;
    this.pending = [];
    for (const timer of due) {
      await timer.callback();
    }
  }
}

class MemoryClipboard implements Clipboard {
  writes = 0;
  failReads = false;

  constructor(public text = '') {}

  async readText(): Promise<string> {
    if (this.failReads) {
      throw new Error('clipboard unavailable');
    }
    return this.text;
  }

  async writeText(value: string): Promise<void> {
    this.writes++;
    this.text = value;
  }
}

describe('clearing a copied token from the clipboard', () => {
  let clipboard: MemoryClipboard;
  let timers: ManualTimers;
  let log: CapturingLogger;
  let delayMs: number;
  let clearer: ClipboardClearer;

  /** What the copy command does: write the token, then tell the clearer. */
  async function copy(value: string): Promise<number> {
    await clipboard.writeText(value);
    const plan = clearer.copied(value);
    return plan.kind === 'clear' ? plan.delayMs : 0;
  }

  beforeEach(() => {
    clipboard = new MemoryClipboard('what the user had before');
    timers = new ManualTimers();
    log = new CapturingLogger();
    delayMs = 60_000;
    clearer = new ClipboardClearer({ clipboard, timers, log, delayMs: () => delayMs, canCompare: true });
  });

  afterEach(() => {
    // Whatever a test did, nothing it logged names the tokens.
    assertNoSecrets(log.text(), [TOKEN, OTHER_TOKEN], 'the log');
  });

  it('clears the clipboard after the delay when it still holds the copied token', async () => {
    assert.equal(await copy(TOKEN), 60_000);
    assert.deepEqual(timers.delays(), [60_000], 'one clear, after the configured delay');
    assertSameSecret(clipboard.text, TOKEN, 'the clipboard before the delay');
    await timers.fireAll();
    assert.equal(clipboard.text, '');
    assert.match(log.text(), /\[clipboard\] cleared the copied token \(…cdef\)/);
  });

  it('in a browser window (cannot compare): never reads or writes the clipboard, and the message and log say it stays', async () => {
    let reads = 0;
    const read = clipboard.readText.bind(clipboard);
    clipboard.readText = () => {
      reads++;
      return read();
    };
    const web = new ClipboardClearer({ clipboard, timers, log, delayMs: () => delayMs, canCompare: false });
    await clipboard.writeText(TOKEN);
    const writes = clipboard.writes;
    const plan = web.copied(TOKEN);
    assert.deepEqual(plan, { kind: 'cannotCompare' });
    assert.deepEqual(timers.delays(), [], 'no clear scheduled');
    await timers.fireAll();
    assert.equal(reads, 0, 'never read: a read asks the user for permission');
    assert.equal(clipboard.writes, writes, 'never written');
    assertSameSecret(clipboard.text, TOKEN, 'the clipboard');
    assert.match(clearNotice(plan), /stays on the clipboard: in a browser window VS Code cannot check the clipboard without asking for permission/);
    assert.match(log.text(), /\[clipboard\] not cleared \(…cdef\): in a browser window the clipboard cannot be read without a permission prompt/);
    assert.doesNotMatch(log.text(), /changed since|cleared the copied/);
    // With the setting at 0 there is nothing to explain.
    delayMs = 0;
    assert.equal(clearNotice(web.copied(TOKEN)), '');
    assert.equal(clearNotice({ kind: 'clear', delayMs: 60_000 }), ' It is cleared from the clipboard in 1 min.');
  });

  it('leaves a clipboard that changed since alone, and does not log what it holds', async () => {
    await copy(TOKEN);
    await clipboard.writeText('something the user copied since');
    const writes = clipboard.writes;
    await timers.fireAll();
    assert.equal(clipboard.text, 'something the user copied since');
    assert.equal(clipboard.writes, writes, 'nothing written');
    assert.match(log.text(), /left alone: it changed/);
    assert.doesNotMatch(log.text(), /copied since'|something the user/);
  });

  it('compares the exact value: the token with a space around it is something else', async () => {
    await copy(TOKEN);
    await clipboard.writeText(`${TOKEN} `);
    await timers.fireAll();
    assert.equal(clipboard.text, `${TOKEN} `);
  });

  it('never clears with a delay of 0, and clears again once the setting is back', async () => {
    delayMs = 0;
    assert.equal(await copy(TOKEN), 0);
    assert.deepEqual(timers.delays(), [], 'nothing scheduled');
    delayMs = 5_000;
    assert.equal(await copy(TOKEN), 5_000, 'the setting is read at every copy');
    await timers.fireAll();
    assert.equal(clipboard.text, '');
  });

  it('treats a delay that is not a positive number as 0', async () => {
    for (const junk of [-1, Number.NaN]) {
      delayMs = junk;
      assert.equal(await copy(TOKEN), 0);
    }
    assert.deepEqual(timers.delays(), []);
  });

  it('a second copy replaces the pending clear: one clear, of the newer token', async () => {
    await copy(TOKEN);
    delayMs = 30_000;
    await copy(OTHER_TOKEN);
    assert.deepEqual(timers.delays(), [30_000], 'the first clear was cancelled');
    await timers.fireAll();
    assert.equal(clipboard.text, '');
    assert.equal(log.lines.filter((line) => /cleared/.test(line.message)).length, 1);
  });

  it('a clear already reading when a newer copy comes does nothing; the newer one clears', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const read = clipboard.readText.bind(clipboard);
    clipboard.readText = async () => {
      await gate;
      return read();
    };
    await copy(TOKEN);
    const firstClear = timers.fireAll();
    // Same token copied again while the first clear waits for the clipboard: it must not cut the
    // new copy's time short.
    await copy(TOKEN);
    release();
    await firstClear;
    assertSameSecret(clipboard.text, TOKEN, 'the clipboard after the stale clear');
    await timers.fireAll();
    assert.equal(clipboard.text, '');
  });

  it('dispose cancels the pending clear, and later copies schedule nothing', async () => {
    await copy(TOKEN);
    clearer.dispose();
    assert.deepEqual(timers.delays(), []);
    assert.equal(await copy(TOKEN), 0);
    assert.deepEqual(timers.delays(), []);
    assertSameSecret(clipboard.text, TOKEN, 'the clipboard');
  });

  it('a clipboard that cannot be read is left as it is, without throwing', async () => {
    await copy(TOKEN);
    clipboard.failReads = true;
    const writes = clipboard.writes;
    await timers.fireAll();
    assert.equal(clipboard.writes, writes);
    assert.match(log.text(), /could not read or clear the clipboard/);
    assert.equal(log.lines.at(-1)?.level, 'warn');
  });

  it('a clipboard that cannot be written is reported, without throwing', async () => {
    await copy(TOKEN);
    clipboard.writeText = () => Promise.reject(new Error('denied'));
    await timers.fireAll();
    assert.match(log.text(), /could not read or clear the clipboard/);
  });

  it('says the delay in the unit a person would', () => {
    const cases: [number, string][] = [
      [1_000, '1 s'],
      [1_500, '2 s'],
      [200, '1 s'],
      [45_000, '45 s'],
      [60_000, '1 min'],
      [90_000, '90 s'],
      [600_000, '10 min'],
      [3_600_000, '60 min'],
    ];
    for (const [ms, text] of cases) {
      assert.equal(formatClearDelay(ms), text, `${ms} ms`);
    }
  });
});
