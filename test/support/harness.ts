/** Builds a TokenManager wired to a real PandaDoc-compatible server on 127.0.0.1. */
import { profileKey } from '../../src/core/token/credentials';
import { NodeFetchSender } from '../../src/core/pandadoc/nodeFetchSender';
import { RedactingLogger, Redactor } from '../../src/core/base/redact';
import { DEFAULT_SETTINGS, type Settings } from '../../src/core/base/settings';
import { Profiles } from '../../src/core/profiles/profiles';
import type { ExchangeOptions } from '../../src/core/pandadoc/tokenEndpoint';
import { TokenManager } from '../../src/core/token/tokenManager';
import { CapturingLogger, ManualClock, MemoryStore } from './doubles';
import { PandaDocServer, type ServerOptions } from './pandadocServer';

export interface Harness {
  server: PandaDocServer;
  client: { clientId: string; clientSecret: string; refreshToken: string };
  store: MemoryStore;
  clock: ManualClock;
  log: CapturingLogger;
  settings: Settings;
  manager: TokenManager;
  stored(): string | undefined;
  /** Another window on the same secret storage. */
  secondWindow(): TokenManager;
  /** Every secret of the run, for leak checks. */
  secrets(): string[];
}

/**
 * What every exchange needs, wired for tests: a real sender with a short stall limit (keeps the
 * dropped-connection cases quick), the clock, settings, and a redacting logger over `log`.
 */
export function exchangeOptions(settings: Settings, clock: ManualClock, log: CapturingLogger): ExchangeOptions {
  const redactor = new Redactor();
  return {
    http: new NodeFetchSender(200),
    clock,
    settings: () => settings,
    log: new RedactingLogger(log, redactor),
    redactor,
    userAgent: 'pandadoc-auth-tests',
  };
}

export async function startHarness(serverOptions: ServerOptions = {}, store = new MemoryStore()): Promise<Harness> {
  const server = await PandaDocServer.start(serverOptions);
  const client = server.addClient();
  const clock = new ManualClock();
  const log = new CapturingLogger();
  // Short timeouts keep the timeout cases quick; the value does not change what is tested.
  const settings: Settings = { ...DEFAULT_SETTINGS, apiBaseUrl: server.url, timeoutMs: 1500 };
  const build = () => new TokenManager({ ...exchangeOptions(settings, clock, log), store, key: profileKey('Default') });
  const manager = build();
  await manager.initialize();
  return {
    server,
    client,
    store,
    clock,
    log,
    settings,
    manager,
    stored: () => store.values.get(profileKey('Default')),
    secondWindow: build,
    secrets: () => [...server.issued],
  };
}

export interface ProfilesHarness {
  server: PandaDocServer;
  store: MemoryStore;
  clock: ManualClock;
  log: CapturingLogger;
  settings: Settings;
  profiles: Profiles;
  /** Another window on the same secret storage (initialized). */
  secondWindow(): Promise<Profiles>;
}

/** Profiles over a MemoryStore (pre-filled by the caller, e.g. with a 0.1 value) and a real
 *  PandaDoc-compatible server on 127.0.0.1. */
export async function startProfilesHarness(store = new MemoryStore(), serverOptions: ServerOptions = {}): Promise<ProfilesHarness> {
  const server = await PandaDocServer.start(serverOptions);
  const clock = new ManualClock();
  const log = new CapturingLogger();
  const settings: Settings = { ...DEFAULT_SETTINGS, apiBaseUrl: server.url, authBaseUrl: server.url, timeoutMs: 1500 };
  const build = async () => {
    const profiles = new Profiles({ ...exchangeOptions(settings, clock, log), store });
    await profiles.initialize();
    return profiles;
  };
  return { server, store, clock, log, settings, profiles: await build(), secondWindow: build };
}
