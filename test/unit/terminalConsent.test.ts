import * as assert from 'node:assert/strict';
import { LogLevelWatch, persistenceSentence, turnOnQuestion } from '../../src/core/routes/terminalConsent';

describe('the Turn On question for terminals', () => {
  const shop = { id: 'file:///home/me/shop', name: 'shop', path: '/home/me/shop' };
  const TURN_OFF = 'Turn Off Credentials in Terminals for This Workspace';

  it('says what VS Code writes to disk, from the persistence settings as they are', () => {
    const table: [boolean, string, RegExp][] = [
      [true, 'onExit', /VS Code itself can write them to disk: .*"onExit" VS Code saves the environment of the terminals still open when you quit, these credentials included/],
      [true, 'onExitAndWindowClose', /still open when you close the window or quit/],
      [true, 'never', /VS Code does not save them either: persistent terminal sessions are on, but .*"never"/],
      [false, 'onExit', /VS Code does not save them either: persistent terminal sessions are off/],
    ];
    for (const [enabled, revive, wording] of table) {
      assert.match(persistenceSentence({ enabled, revive }), wording, `${enabled} ${revive}`);
      assert.match(turnOnQuestion(shop, 'Default', { enabled, revive }, TURN_OFF).detail, wording);
    }
    assert.match(persistenceSentence({ enabled: true, revive: 'onExit' }), /set terminal\.integrated\.persistentSessionReviveProcess to "never"\.$/);
  });

  it('no longer says the credentials are never written to disk; says whose they are, where, and the log levels', () => {
    const { message, detail } = turnOnQuestion(shop, 'Production', { enabled: true, revive: 'onExit' }, TURN_OFF);
    assert.equal(message, 'Give new terminals of "shop" your PandaDoc credentials?');
    assert.doesNotMatch(detail, /never written to disk/);
    assert.match(detail, /^The workspace is at \/home\/me\/shop\n/);
    assert.match(detail, /of whichever PandaDoc profile is active when they start \(now "Production"\): switching profiles switches what new terminals get/);
    assert.match(detail, /At the Debug or Trace log level, VS Code writes a terminal's whole environment into its own logs\./);
    assert.match(detail, /PandaDoc: Turn Off Credentials in Terminals for This Workspace takes it back\.$/);
  });

  it('quotes a forged workspace name', () => {
    const { message } = turnOnQuestion({ ...shop, name: 'shop" now? Yes. "x' }, 'Default', { enabled: false, revive: 'never' }, TURN_OFF);
    assert.equal(message, 'Give new terminals of "shop\\" now? Yes. \\"x" your PandaDoc credentials?');
  });
});

describe('the log\'s warning about VS Code\'s own logs', () => {
  it('warns once when the route turns on at Debug or Trace, and once per change of level while on', () => {
    const watch = new LogLevelWatch();
    assert.equal(watch.update(false, 'Trace'), undefined, 'off: nothing to warn of');
    const on = watch.update(true, 'Trace');
    assert.match(on ?? '', /^\[terminal\] the window's log level is Trace: .* PANDADOC_AUTHORIZATION included, into its own logs \(ptyhost\.log, remoteagent\.log/);
    assert.equal(watch.update(true, 'Trace'), undefined, 'not again for the same state');
    assert.match(watch.update(true, 'Debug') ?? '', /log level is Debug/);
    assert.equal(watch.update(true, 'Info'), undefined);
    assert.equal(watch.update(true, 'Info'), undefined);
    assert.match(watch.update(true, 'Debug') ?? '', /Debug/);
    assert.equal(watch.update(false, 'Debug'), undefined);
    assert.match(watch.update(true, 'Debug') ?? '', /Debug/, 'turned on again');
    assert.equal(new LogLevelWatch().update(true, 'Info'), undefined);
  });
});
