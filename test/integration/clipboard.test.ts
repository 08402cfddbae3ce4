/**
 * `pandadoc.clipboardClearSeconds` in the real host: the real clipboard, the extension's real timer.
 * A desktop window reads, compares and clears; a browser window (this tier in code-server) cannot
 * read without a permission prompt, so it leaves the token and says so (clipboardClear.ts).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMAND } from '../../src/vscode/base/commandIds';
import { assertNoSecrets, assertSameSecret } from '../support/assertions';
import { eventually, reset, sandbox, signIn, withUserSetting } from './sandbox';

const DELAY_SECONDS = 1;
const OTHER_TEXT = 'something the user copied since';
const IN_BROWSER = vscode.env.uiKind === vscode.UIKind.Web;

/** Signs in and gets the token first, so the copy itself sends no request. */
async function signedInToken(): Promise<string> {
  const { api } = await sandbox();
  await signIn();
  const token = await api.getAccessToken();
  assert.ok(token, 'a token to copy');
  return token;
}

/** The last copy notification the extension showed. */
async function copyNotification(): Promise<string | undefined> {
  const { extension } = await sandbox();
  return extension.exports.testing
    .shownMessages()
    .filter((message) => /^PandaDoc (access token|API key) copied/.test(message))
    .at(-1);
}

/** The PandaDoc log written after `start` characters, once it holds `line`. */
async function logAfter(start: number, line: string): Promise<string> {
  const { channelLog } = await sandbox();
  let text = '';
  await eventually(async () => (text = (await channelLog()).slice(start)).includes(line), `"${line}" in the PandaDoc log`);
  return text;
}

describe('clearing a copied token from the clipboard', () => {
  beforeEach(reset);
  afterEach(() => vscode.env.clipboard.writeText(''));

  it('desktop: clears the clipboard after the delay when it still holds exactly the copied token', async function () {
    if (IN_BROWSER) {
      this.skip();
    }
    const { channelLog } = await sandbox();
    const token = await signedInToken();
    await withUserSetting('clipboardClearSeconds', DELAY_SECONDS, async () => {
      const logStart = (await channelLog()).length;
      const started = Date.now();
      assert.equal(await vscode.commands.executeCommand(COMMAND.copyAccessToken), true);
      const copied = await vscode.env.clipboard.readText();
      // Only while the delay cannot have passed yet (a loaded machine may be slower than that).
      if (Date.now() - started < DELAY_SECONDS * 1000) {
        assertSameSecret(copied, token, 'the clipboard right after the copy');
      }
      assert.match(
        (await copyNotification()) ?? '',
        /^PandaDoc access token copied to the clipboard\. Valid for .+\. It is cleared from the clipboard in 1 s\.$/,
      );
      const log = await logAfter(logStart, '[clipboard] cleared the copied token');
      assert.equal(await vscode.env.clipboard.readText(), '');
      assertNoSecrets(log, [token], 'the PandaDoc log');
    });
  });

  it('desktop: leaves the clipboard alone when something else was copied since', async function () {
    if (IN_BROWSER) {
      this.skip();
    }
    const { channelLog } = await sandbox();
    await signedInToken();
    await withUserSetting('clipboardClearSeconds', DELAY_SECONDS, async () => {
      const logStart = (await channelLog()).length;
      assert.equal(await vscode.commands.executeCommand(COMMAND.copyAccessToken), true);
      await vscode.env.clipboard.writeText(OTHER_TEXT);
      // The extension logs when its timer has looked at the clipboard: no guessing how long to wait.
      const log = await logAfter(logStart, '[clipboard] left alone: it changed');
      assert.equal(await vscode.env.clipboard.readText(), OTHER_TEXT);
      assert.ok(!log.includes(OTHER_TEXT), 'what the user copied is not logged');
    });
  });

  it('browser window: the token stays on the clipboard, and the copy message and the log say so', async function () {
    if (!IN_BROWSER) {
      this.skip();
    }
    const { channelLog } = await sandbox();
    const token = await signedInToken();
    await withUserSetting('clipboardClearSeconds', DELAY_SECONDS, async () => {
      const logStart = (await channelLog()).length;
      assert.equal(await vscode.commands.executeCommand(COMMAND.copyAccessToken), true);
      assert.match(
        (await copyNotification()) ?? '',
        /^PandaDoc access token copied; it stays on the clipboard until you copy something else: in a browser window VS Code cannot check the clipboard without asking for permission, so it does not clear it\. Valid for /,
      );
      const log = await logAfter(logStart, '[clipboard] not cleared');
      // Past the delay: nothing was scheduled, so nothing changes.
      await new Promise((resolve) => setTimeout(resolve, 2 * DELAY_SECONDS * 1000));
      assertSameSecret(await vscode.env.clipboard.readText(), token, 'the clipboard');
      assert.ok(!(await channelLog()).slice(logStart).includes('changed since'), 'no false "it changed"');
      assertNoSecrets(log, [token], 'the PandaDoc log');
    });
  });

  it('never clears with pandadoc.clipboardClearSeconds set to 0', async () => {
    const { channelLog } = await sandbox();
    const token = await signedInToken();
    await withUserSetting('clipboardClearSeconds', 0, async () => {
      const logStart = (await channelLog()).length;
      assert.equal(await vscode.commands.executeCommand(COMMAND.copyAccessToken), true);
      // Nothing to wait for when nothing is scheduled: twice the delay the other tests use.
      await new Promise((resolve) => setTimeout(resolve, 2 * DELAY_SECONDS * 1000));
      assertSameSecret(await vscode.env.clipboard.readText(), token, 'the clipboard');
      assert.ok(!(await channelLog()).slice(logStart).includes('[clipboard]'), 'no clear was attempted');
      const notification = (await copyNotification()) ?? '';
      assert.match(notification, /^PandaDoc access token copied to the clipboard\. Valid for /);
      assert.ok(!notification.includes('cleared'), 'the notification promises no clear');
    });
  });
});
