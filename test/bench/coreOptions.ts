/** What the bench's own core objects run on: the real sender and clock, a local server's URL,
 *  and a redacting logger over one that drops every line (the bench measures, it does not log). */
import { systemClock } from '../../src/core/base/clock';
import type { Logger } from '../../src/core/base/logger';
import { NodeFetchSender } from '../../src/core/pandadoc/nodeFetchSender';
import { RedactingLogger, Redactor } from '../../src/core/base/redact';
import { DEFAULT_SETTINGS, type Settings } from '../../src/core/base/settings';
import type { ExchangeOptions } from '../../src/core/pandadoc/tokenEndpoint';

const silent: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

export function benchExchangeOptions(apiBaseUrl: string): ExchangeOptions {
  const settings: Settings = { ...DEFAULT_SETTINGS, apiBaseUrl };
  const redactor = new Redactor();
  return {
    http: new NodeFetchSender(),
    clock: systemClock,
    settings: () => settings,
    log: new RedactingLogger(silent, redactor),
    redactor,
    userAgent: 'pandadoc-auth-bench',
  };
}
