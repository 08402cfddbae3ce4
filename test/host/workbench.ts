/**
 * Driving the real VS Code web workbench the way a user does: the command palette, the
 * extension's input boxes, the status bar, the Output panel, notifications, modal dialogs and
 * the clipboard. Selectors are VS Code's own DOM classes (checked on 1.139.1); every wait polls
 * with a deadline and fails with what the workbench showed instead, never with a secret.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { SELECTOR } from './browser';
import { sleep } from './codeServer';
import { filesUnder } from './paths';

const DEFAULT_TIMEOUT_MS = 30_000;

const UI = {
  quickTitle: '.quick-input-widget .quick-input-title',
  toast: '.notifications-toasts .notification-toast-container',
  centerItem: '.notifications-center .notification-list-item',
  message: '.notification-list-item-message',
  dialog: '.monaco-dialog-box',
  dialogButton: '.monaco-dialog-box .dialog-buttons .monaco-button',
  /** The Accounts entry at the foot of the activity bar. */
  accounts: '.part.activitybar .action-label.codicon-accounts-view-bar-icon',
  /** An entry of an open context menu. */
  menuItem: '.context-view .monaco-menu .action-item .action-label',
} as const;

/** Polls `probe` (every `everyMs`) until it returns something other than undefined; the error
 *  names `what`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = DEFAULT_TIMEOUT_MS,
  seen?: () => Promise<unknown>,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      const has = seen ? `; the workbench shows ${JSON.stringify(await seen().catch(() => 'nothing readable'))}` : '';
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${has}`);
    }
    await sleep(everyMs);
  }
}

/**
 * The little of the DOM the page functions below use: the project compiles without lib.dom
 * (src/ must not reach for browser globals), and these functions run in the page anyway.
 */
interface DomElement {
  readonly className: string;
  readonly offsetHeight: number;
  readonly innerText: string;
  readonly textContent: string | null;
  readonly style: { top: string };
  readonly classList: Iterable<string> & { contains(name: string): boolean };
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement>;
  matches(selector: string): boolean;
}

interface PageGlobals {
  navigator: { clipboard: { readText(): Promise<string>; writeText(text: string): Promise<void> } };
}

const matches = (text: string, match: string | RegExp) => (typeof match === 'string' ? text.includes(match) : match.test(text));

export async function waitForWorkbench(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.locator(SELECTOR.workbench).waitFor({ state: 'visible', timeout: timeoutMs });
}

/**
 * F1, `>title`, then the row whose label is exactly `title` (the list is a fuzzy match, so the
 * first row may be a longer title that contains it).
 */
export async function runCommand(page: Page, title: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  const input = page.locator(SELECTOR.quickInput);
  // Always F1: a quick input that is closing still reports visible during its animation.
  await page.keyboard.press('F1');
  await input.waitFor({ state: 'visible', timeout: timeoutMs });
  await input.fill(`>${title}`);
  await clickExactRow(page, title, timeoutMs);
}

/** Whether the palette lists the command titled exactly `title` (it is fuzzy, so others may
 *  show); closes it again. */
export async function paletteOffers(page: Page, title: string): Promise<boolean> {
  await page.keyboard.press('F1');
  const input = page.locator(SELECTOR.quickInput);
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  // The list settles within a frame or two; a command that is offered shows at once.
  await sleep(1500);
  const labels = await page.locator(`${SELECTOR.quickRow} .label-name`).allTextContents();
  await input.press('Escape');
  return labels.map((label) => label.replace(/\s+/g, ' ').trim()).includes(title);
}

/** Clicks the quick-input row labelled exactly `label` (icons aside), once it shows. */
async function clickExactRow(page: Page, label: string, timeoutMs: number): Promise<void> {
  const row = page.locator(SELECTOR.quickRow).filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }) }).first();
  await row.waitFor({ state: 'visible', timeout: timeoutMs });
  await row.click();
}

/**
 * Clicks the row of the open quick pick whose label, icons aside, is exactly `label` (a row
 * `$(arrow-swap) Switch Profile...` is chosen with `Switch Profile...`).
 */
export async function pickQuickItem(page: Page, label: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  await clickExactRow(page, label, timeoutMs);
}

export interface QuickPickRow {
  /** The label, icons left out. */
  label: string;
  description: string;
}

/**
 * Waits for the quick pick titled exactly `title` (the palette that opened it may still be
 * fading out) and resolves with the rows it lists, separators left out.
 */
export async function quickPickRows(page: Page, title: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<QuickPickRow[]> {
  const heading = page.locator(UI.quickTitle).filter({ hasText: new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`) });
  await heading.waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator(SELECTOR.quickRow).first().waitFor({ state: 'visible', timeout: timeoutMs });
  return page.locator(SELECTOR.quickRow).evaluateAll((elements: DomElement[]) =>
    elements
      .map((row) => ({
        label: (row.querySelector('.label-name')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
        description: (row.querySelector('.label-description')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
      }))
      .filter((row) => row.label !== ''),
  );
}

export interface InputBoxInfo {
  title: string;
  prompt: string;
  /** The input element's type: `password` for a masked box. */
  type: string;
}

/**
 * Waits for the extension's input box titled `title` (the same DOM element serves every box of
 * a sequence, so the title is what tells the next box from the closing one), types `value` as
 * a paste would and presses Enter. Resolves with what the box was. If typing fails, the value
 * is scrubbed from the error, since it may be a secret.
 */
export async function fillInput(page: Page, title: string, value: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<InputBoxInfo> {
  try {
    const heading = page.locator(UI.quickTitle).filter({ hasText: title });
    await heading.waitFor({ state: 'visible', timeout: timeoutMs });
    const input = page.locator(SELECTOR.quickInput);
    const info: InputBoxInfo = {
      title: (await heading.innerText()).trim(),
      prompt: (await page.locator('.quick-input-widget .quick-input-message').innerText().catch(() => '')).trim(),
      type: (await input.getAttribute('type')) ?? 'text',
    };
    await input.fill(value);
    await input.press('Enter');
    // Accepted when the box is gone or shows another title; a validation message keeps it open.
    await waitFor(`the input box "${title}" to accept the value`, async () => {
      const open = await heading.isVisible();
      return open ? undefined : true;
    }, timeoutMs);
    return info;
  } catch (error) {
    throw scrubbed(error, value);
  }
}

/** Waits for the input box or quick pick titled `title` and presses Escape in it, as a user
 *  who changed their mind does; resolves once it is gone. */
export async function escapeInput(page: Page, title: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  const heading = page.locator(UI.quickTitle).filter({ hasText: title });
  await heading.waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator(SELECTOR.quickInput).press('Escape');
  await heading.waitFor({ state: 'hidden', timeout: timeoutMs });
}

/**
 * Picks a file in VS Code's own file dialog (the simple one a web window shows): types its path
 * and presses the dialog's accept button (`openLabel`), as a user does.
 */
export async function pickFileInDialog(page: Page, title: string, file: string, button: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  const heading = page.locator(UI.quickTitle).filter({ hasText: title });
  await heading.waitFor({ state: 'visible', timeout: timeoutMs });
  const input = page.locator(SELECTOR.quickInput);
  // The dialog fills in its starting folder once it has read it; typing before that is lost.
  await waitFor('the file dialog to show its starting folder', async () => ((await input.inputValue()) !== '' ? true : undefined), timeoutMs);
  await waitFor(
    'the file dialog to hold the typed path',
    async () => {
      await input.fill(file);
      await sleep(200);
      return (await input.inputValue()) === file ? true : undefined;
    },
    timeoutMs,
  );
  await page.locator('.quick-input-widget .monaco-button', { hasText: new RegExp(`^${escapeRegExp(button)}$`) }).first().click({ timeout: timeoutMs });
  await heading.waitFor({ state: 'hidden', timeout: timeoutMs });
}

function scrubbed(error: unknown, secret: string): Error {
  // An empty value (a box left empty on purpose) hides nothing, and splitting on it would put
  // the marker between every character.
  const scrub = (text: string | undefined) => (secret === '' ? (text ?? '') : (text ?? '').split(secret).join('<typed value>'));
  const clean = new Error(scrub(error instanceof Error ? error.message : String(error)));
  clean.stack = scrub(error instanceof Error ? error.stack : undefined);
  return clean;
}

export interface StatusBarEntry {
  /** The visible text, icons left out (`PandaDoc: 364d`). */
  text: string;
  /** Codicon names shown in it (`key`, `error`, `sync`). */
  icons: string[];
  /** `warning` or `error` when its background says so (VS Code's `warning-kind` / `error-kind`). */
  kind: 'normal' | 'warning' | 'error';
}

export async function statusBarEntries(page: Page): Promise<StatusBarEntry[]> {
  return page.locator(SELECTOR.statusItem).evaluateAll((items: DomElement[]) =>
    items
      .map((item) => {
        const classes = item.className;
        return {
          text: (item.innerText ?? '').replace(/\s+/g, ' ').trim(),
          icons: [...item.querySelectorAll('.codicon')].flatMap((icon) =>
            [...icon.classList].filter((c) => c.startsWith('codicon-')).map((c) => c.slice('codicon-'.length)),
          ),
          kind: /\berror-kind\b/.test(classes) ? 'error' : /\bwarning-kind\b/.test(classes) ? 'warning' : 'normal',
        } as const;
      })
      .filter((entry) => entry.text !== ''),
  );
}

/** Waits until a status bar item's text matches and resolves with that item. */
export function waitForStatusBar(page: Page, match: string | RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<StatusBarEntry> {
  return waitFor(
    `a status bar item matching ${match}`,
    async () => (await statusBarEntries(page)).find((entry) => matches(entry.text, match)),
    timeoutMs,
    async () => (await statusBarEntries(page)).map((entry) => entry.text),
  );
}

/** Clicks the status bar item whose text matches, as a user opens its menu. */
export async function clickStatusBarItem(page: Page, match: string | RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  await waitForStatusBar(page, match, timeoutMs);
  const items = page.locator(SELECTOR.statusItem);
  const texts = await items.evaluateAll((elements: DomElement[]) => elements.map((item) => (item.innerText ?? '').replace(/\s+/g, ' ').trim()));
  const at = texts.findIndex((text) => text !== '' && matches(text, match));
  if (at < 0) {
    throw new Error(`no status bar item matching ${match} to click; the status bar shows ${JSON.stringify(texts.filter(Boolean))}`);
  }
  await items.nth(at).click({ timeout: timeoutMs });
}

/** Opens the Output view on `channel` through the palette, as a user would. */
export async function showOutputChannel(page: Page, channel: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  await runCommand(page, 'Output: Show Output Channels...', timeoutMs);
  await page.locator(SELECTOR.quickInput).fill(channel);
  await clickExactRow(page, channel, timeoutMs);
  await page.locator(SELECTOR.outputLines).first().waitFor({ state: 'visible', timeout: timeoutMs });
}

/**
 * The text the Output panel renders, lines in screen order, non-breaking spaces as spaces.
 * The editor is virtualised and wraps, so this is what a user sees, not necessarily all of it.
 */
export async function outputPanelText(page: Page): Promise<string> {
  return page.locator(SELECTOR.outputLines).evaluateAll((blocks: DomElement[]) =>
    blocks
      .map((block) =>
        [...block.querySelectorAll('.view-line')]
          .map((line) => ({ top: parseFloat(line.style.top) || 0, text: (line.textContent ?? '').replace(/\u00a0/g, ' ') }))
          .sort((a, b) => a.top - b.top)
          .map((line) => line.text)
          .join('\n'),
      )
      .join('\n'),
  );
}

/**
 * The panel wraps long lines at a space, keeping the space: removing the line breaks gives back
 * the logged lines run together, so a match (or a secret) split by a wrap is found again.
 */
export function unwrapped(panelText: string): string {
  return panelText.replace(/\n/g, '');
}

/** Waits until the panel shows `match` (matched against the unwrapped text); resolves with that. */
export function waitForOutputPanel(page: Page, match: string | RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
  return waitFor(
    `the Output panel to show ${match}`,
    async () => {
      const text = unwrapped(await outputPanelText(page));
      return matches(text, match) ? text : undefined;
    },
    timeoutMs,
    async () => (await outputPanelText(page)).slice(-600),
  );
}

/**
 * The complete text of an extension's log output channel, from the file VS Code writes it to
 * (`<user data>/logs/<session>/exthost<N>/<publisher.name>/<Channel>.log`): unlike the panel
 * it is neither virtualised nor wrapped.
 */
export function readOutputChannelLog(userDataDir: string, extensionId: string, channel: string): string {
  const isChannelLog = (file: string) => {
    const dir = path.dirname(file);
    return path.basename(file) === `${channel}.log` && path.basename(dir) === extensionId && /^exthost\d+$/.test(path.basename(path.dirname(dir)));
  };
  return [...filesUnder(path.join(userDataDir, 'logs'))]
    .filter(isChannelLog)
    .sort()
    .map((file) => fs.readFileSync(file, 'utf8'))
    .join('');
}

/**
 * The text of the integrated terminal on screen, rows in order, non-breaking spaces as spaces:
 * xterm's DOM renderer's rows (the UI session turns GPU acceleration off, so that they are text
 * rather than a canvas). Only the terminal shown: the others' rows are not laid out.
 */
export async function terminalText(page: Page): Promise<string> {
  return page.locator('.terminal-wrapper .xterm-rows').evaluateAll((blocks: DomElement[]) =>
    blocks
      .filter((block) => block.offsetHeight > 0)
      .map((block) => [...block.querySelectorAll(':scope > div')].map((row) => (row.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()).join('\n'))
      .join('\n'),
  );
}

/** Waits until the terminal on screen shows a line matching `match`; resolves with that line. */
export function waitForTerminalLine(page: Page, match: RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
  return waitFor(
    `the terminal to show ${match}`,
    async () => (await terminalText(page)).split('\n').find((line) => match.test(line)),
    timeoutMs,
    async () => (await terminalText(page)).split('\n').filter((line) => line.trim() !== '').slice(-8),
  );
}

export interface Notification {
  message: string;
  buttons: string[];
  /** `error`, `warning` or `info`, from the notification's icon. */
  severity: string;
}

async function readNotifications(items: Locator): Promise<Notification[]> {
  return items.evaluateAll((elements: DomElement[]) =>
    elements.map((element) => {
      const icon = element.querySelector('.notification-list-item-icon');
      const severity = ['error', 'warning', 'info'].find((name) => icon?.classList.contains(`codicon-${name}`)) ?? 'unknown';
      return {
        message: (element.querySelector('.notification-list-item-message')?.innerText ?? '').trim(),
        buttons: [...element.querySelectorAll('.notification-list-item-buttons-container .monaco-button')].map((b) => b.innerText.trim()),
        severity,
      };
    }),
  );
}

/** The notifications on screen: the toasts and, when it is open, the Notification Center. */
export async function notifications(page: Page): Promise<Notification[]> {
  return [...(await readNotifications(page.locator(UI.toast))), ...(await readNotifications(page.locator(UI.centerItem)))];
}

/**
 * Waits for a notification whose message matches. Toasts of earlier steps may still be up, so
 * callers clear them first (`clearNotifications`) when an old message could match.
 */
export function waitForNotification(page: Page, match: string | RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Notification> {
  return waitFor(
    `a notification matching ${match}`,
    async () => (await notifications(page)).find((n) => matches(n.message, match)),
    timeoutMs,
    async () => (await notifications(page)).map((n) => n.message),
  );
}

/** Clicks a button of the toast whose message matches. */
export async function clickNotificationButton(page: Page, match: string | RegExp, button: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  const toast = page.locator(UI.toast).filter({ has: page.locator(UI.message, { hasText: match }) });
  await toast.locator('.monaco-button', { hasText: button }).first().click({ timeout: timeoutMs });
}

export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await waitFor('the notifications to be cleared', async () => ((await notifications(page)).length === 0 ? true : undefined), 10_000, () => notifications(page));
}

/** Waits for a modal dialog whose text matches, then clicks its button labelled `button`
 *  (exactly, or matching a RegExp). */
export async function answerDialog(page: Page, match: string | RegExp, button: string | RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
  const dialog = page.locator(UI.dialog).filter({ hasText: match });
  await dialog.waitFor({ state: 'visible', timeout: timeoutMs });
  const text = (await dialog.innerText()).trim();
  const label = typeof button === 'string' ? new RegExp(`^${escapeRegExp(button)}$`) : button;
  await page.locator(UI.dialogButton, { hasText: label }).first().click({ timeout: timeoutMs });
  await dialog.waitFor({ state: 'hidden', timeout: timeoutMs });
  return text;
}

export interface DialogInfo {
  text: string;
  /** The button labels, left to right as shown. */
  buttons: string[];
  /** The button that has the focus: the one Enter presses. */
  focused: string | undefined;
}

/** Waits for a modal dialog whose text matches and reads it, answering nothing. */
export async function readDialog(page: Page, match: string | RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<DialogInfo> {
  const dialog = page.locator(UI.dialog).filter({ hasText: match });
  await dialog.waitFor({ state: 'visible', timeout: timeoutMs });
  const buttons = page.locator(UI.dialogButton);
  const labels = await buttons.evaluateAll((elements: DomElement[]) => elements.map((b) => b.innerText.trim()));
  const focused = await waitFor('a focused dialog button', async () => {
    const flags = await buttons.evaluateAll((elements: DomElement[]) => elements.map((b) => b.matches(':focus')));
    const at = flags.indexOf(true);
    return at < 0 ? undefined : labels[at];
  }, 5_000).catch(() => undefined);
  return { text: (await dialog.innerText()).trim(), buttons: labels, focused };
}

/**
 * The entries of the Accounts menu (the activity bar's Accounts icon): a signed-in account is
 * listed as `<account label> (<provider label>)`. Opens the menu, reads it, closes it again.
 */
export async function accountsMenuEntries(page: Page, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string[]> {
  await page.locator(UI.accounts).first().click({ timeout: timeoutMs });
  const items = page.locator(UI.menuItem);
  await items.first().waitFor({ state: 'visible', timeout: timeoutMs });
  const labels = await items.evaluateAll((elements: DomElement[]) => elements.map((item) => (item.textContent ?? '').replace(/\s+/g, ' ').trim()));
  await page.keyboard.press('Escape');
  await items.first().waitFor({ state: 'hidden', timeout: timeoutMs });
  return labels.filter((label) => label !== '');
}

/**
 * Signs an account out the way a user does: Accounts menu > the account > Sign Out, then the
 * workbench's confirmation. Resolves with the confirmation's text.
 */
export async function signOutFromAccountsMenu(page: Page, account: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
  await page.locator(UI.accounts).first().click({ timeout: timeoutMs });
  await page.locator(UI.menuItem, { hasText: account }).first().hover({ timeout: timeoutMs });
  const signOut = page.locator(UI.menuItem, { hasText: /^Sign Out$/ }).first();
  await signOut.waitFor({ state: 'visible', timeout: timeoutMs });
  // Moved onto and pressed as a hand would: the submenu closes when the pointer jumps off its
  // parent entry, and menu items act on mouse-up after their own mouse-down.
  const box = await signOut.boundingBox();
  if (!box) {
    throw new Error('the Sign Out entry of the account submenu has no position');
  }
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 8 });
  await sleep(300);
  await page.mouse.down();
  await page.mouse.up();
  return answerDialog(page, /sign out/i, 'Sign Out', timeoutMs);
}

/**
 * Runs `action` and resolves with the browser tab it made the workbench open (`window.open`,
 * which is what `vscode.env.openExternal` comes to in a web workbench).
 */
export async function waitForNewTab(context: BrowserContext, action: () => Promise<unknown>, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Page> {
  const [tab] = await Promise.all([context.waitForEvent('page', { timeout: timeoutMs }), action()]);
  return tab;
}

/**
 * Waits until `tab` has loaded an address `match` accepts (after redirects) and resolves with
 * it. The address may hold an authorization code: a timeout names its origin and path only.
 */
export async function waitForTabAddress(tab: Page, match: (url: URL) => boolean, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<URL> {
  const url = await waitFor(
    'the browser tab to arrive',
    async () => {
      const now = new URL(tab.url());
      return match(now) ? now : undefined;
    },
    timeoutMs,
    async () => {
      const now = new URL(tab.url());
      return `${now.origin}${now.pathname}`;
    },
  );
  await tab.waitForLoadState('load', { timeout: timeoutMs });
  return url;
}

/**
 * Closes a browser tab and brings the workbench to the front again, as a user going back to
 * VS Code does. Chromium throttles the timers and animation frames of a page behind another
 * tab, which makes every step in the workbench take seconds instead of milliseconds.
 */
export async function closeTab(tab: Page, workbench: Page): Promise<void> {
  await tab.close();
  await workbench.bringToFront();
}

/** What a browser tab shows: its title and its text. */
export async function tabContent(tab: Page): Promise<{ title: string; text: string }> {
  return { title: await tab.title(), text: (await tab.locator('body').innerText()).replace(/\s+/g, ' ').trim() };
}

/**
 * The page's clipboard (what VS Code's `env.clipboard` wrote). Headless Chromium keeps its own
 * clipboard, so this reads nothing of the machine's; reading needs the permission granted.
 */
export async function allowClipboard(context: BrowserContext, origin: string): Promise<void> {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
}

export function readClipboard(page: Page): Promise<string> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).navigator.clipboard.readText());
}

export function writeClipboard(page: Page, text: string): Promise<void> {
  return page.evaluate((value) => (globalThis as unknown as PageGlobals).navigator.clipboard.writeText(value), text);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Switch Profile... > New Profile... > `name`, as a user makes a profile; resolves with the
 *  notification that says it was created. */
export async function newProfile(page: Page, name: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Notification> {
  await runCommand(page, 'PandaDoc: Switch Profile...', timeoutMs);
  await quickPickRows(page, 'PandaDoc Profiles', timeoutMs);
  await pickQuickItem(page, 'New Profile...', timeoutMs);
  await fillInput(page, 'New PandaDoc Profile', name, timeoutMs);
  return waitForNotification(page, `PandaDoc profile "${name}" created and active.`, timeoutMs);
}

/**
 * A profile's first credentials bring the region quick pick (src/vscode/regions/regionCommands.ts) before
 * the box titled `next`: picks `label` in it when it shows, and resolves whether it did. The UI
 * tests' settings name the test server, so "As in Settings" keeps every request there.
 */
export async function answerRegionIfAsked(page: Page, next: string, label = 'As in Settings', timeoutMs = DEFAULT_TIMEOUT_MS): Promise<boolean> {
  const region = page.locator(UI.quickTitle).filter({ hasText: 'PandaDoc Region of' });
  const box = page.locator(UI.quickTitle).filter({ hasText: next });
  const shown = await waitFor(`the region pick or the box "${next}"`, async () => {
    if (await region.isVisible()) {
      return 'region';
    }
    return (await box.isVisible()) ? 'box' : undefined;
  }, timeoutMs);
  if (shown === 'region') {
    await pickQuickItem(page, label, timeoutMs);
  }
  return shown === 'region';
}

/**
 * Set OAuth Credentials... through the palette with `client`, as a user types it: the region pick
 * when a new profile asks for it ("As in Settings"), then the three boxes.
 */
export async function enterOAuthCredentials(page: Page, client: { clientId: string; clientSecret: string; refreshToken: string }): Promise<void> {
  const box = 'PandaDoc OAuth Credentials';
  await runCommand(page, 'PandaDoc: Set OAuth Credentials...');
  await answerRegionIfAsked(page, `${box} (1/3)`);
  await fillInput(page, `${box} (1/3)`, client.clientId);
  await fillInput(page, `${box} (2/3)`, client.clientSecret);
  await fillInput(page, `${box} (3/3)`, client.refreshToken);
}
