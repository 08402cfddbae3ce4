/**
 * The PandaDoc-compatible server in a process of its own, for the heap benchmark: it records every
 * request it answers, which must not land in the heap being measured. Started with `fork`; it
 * hands its address and one registered client to its parent over the IPC channel (never printed,
 * never written) and exits when the parent goes.
 */
import { PandaDocServer } from '../support/pandadocServer';

export interface ServerHello {
  url: string;
  client: { clientId: string; clientSecret: string; refreshToken: string };
}

/** Seconds: inside the default 5-minute refresh margin, so every getAccessToken() refreshes. */
const EXPIRES_IN_SECONDS = 60;

async function main(): Promise<void> {
  if (!process.send) {
    throw new Error('serverProcess runs as a child of the heap benchmark (fork, with IPC)');
  }
  const server = await PandaDocServer.start({ expiresIn: EXPIRES_IN_SECONDS });
  const client = server.addClient();
  // Nothing here is measured, but it should not grow without bound either.
  const trim = setInterval(() => {
    server.requests.length = 0;
    server.issued.length = 0;
  }, 1000);
  trim.unref();
  process.on('disconnect', () => process.exit(0));
  const hello: ServerHello = { url: server.url, client };
  process.send(hello);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
