/**
 * Reading a Postman export from disk, before anything of it is parsed (postmanExport.ts): only a
 * regular file, never more than a size limit, and only as valid UTF-8. The file is whatever the
 * user or a command's argument names, so it may be a pipe that never ends, a device that never
 * stops (`/dev/zero`), a folder, or a file in another encoding.
 */
import * as fs from 'node:fs';
import { AuthError } from '../base/errors';
import { badInput, EXPORT_HINT, MAX_POSTMAN_FILE_LENGTH } from './postmanExport';

/** The most bytes read: the same 1 MiB as the text limit (a UTF-8 byte decodes to at most one
 *  UTF-16 code unit, so what passes here also passes there). */
export const MAX_POSTMAN_FILE_BYTES = MAX_POSTMAN_FILE_LENGTH;

/** What is known of a file before it is read, from whichever file system holds it. */
export interface PostmanFileInfo {
  /** A regular file: not a folder, a pipe, a socket or a device. */
  isFile: boolean;
  size: number;
}

export function unreadablePostmanFile(): AuthError {
  return new AuthError('bad_input', 'The file could not be read. Check that it exists and that VS Code may read it.');
}

/** Refuses what must not be read at all: it is not a regular file, or it is far too large. */
export function checkPostmanFile(info: PostmanFileInfo): void {
  if (!info.isFile) {
    badInput(`That is not a regular file (it is a folder, a pipe or a device), so it is not a Postman environment export. ${EXPORT_HINT}`);
  }
  if (info.size > MAX_POSTMAN_FILE_BYTES) {
    badInput('That file is larger than 1 MiB: it is not a Postman environment export.');
  }
}

/**
 * The text of an export's bytes: strict UTF-8, which is what Postman writes. Bytes that are not
 * UTF-8 (a file saved in another encoding, or not text) are refused rather than turned into
 * U+FFFD, which would change a credential without a word. A byte order mark is dropped.
 */
export function decodePostmanFile(bytes: Uint8Array): string {
  if (bytes.length > MAX_POSTMAN_FILE_BYTES) {
    badInput('That file is larger than 1 MiB: it is not a Postman environment export.');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return badInput(
      `The file is not valid UTF-8 text, as Postman writes it: it was saved in another encoding, or it is not text. Export the environment from Postman again rather than converting it. ${EXPORT_HINT}`,
    );
  }
}

// Opening a pipe for reading waits for a writer, for ever, in one of Node's few file threads; with
// O_NONBLOCK the open returns at once, and the check below refuses it. (Windows has no such flag,
// and no such pipes at a file path.) On a regular file the flag changes nothing.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/** Reads at most `limit` bytes: the size was checked, but a file can grow after that. */
async function readAtMost(handle: fs.promises.FileHandle, limit: number): Promise<Uint8Array> {
  const buffer = Buffer.alloc(limit);
  let length = 0;
  while (length < limit) {
    const { bytesRead } = await handle.read(buffer, length, limit - length, null);
    if (bytesRead === 0) {
      break;
    }
    length += bytesRead;
  }
  return buffer.subarray(0, length);
}

/** The text of the Postman export at `file` (a path on this machine), or a `bad_input` error. */
export async function readPostmanFile(file: string): Promise<string> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, OPEN_FLAGS);
  } catch {
    throw unreadablePostmanFile();
  }
  try {
    let bytes: Uint8Array;
    try {
      // The file opened, not the name: nothing can be swapped in between the check and the read.
      const stat = await handle.stat();
      checkPostmanFile({ isFile: stat.isFile(), size: stat.size });
      // One byte over the limit tells a file that grew past it from one exactly at it.
      bytes = await readAtMost(handle, MAX_POSTMAN_FILE_BYTES + 1);
    } catch (error) {
      throw error instanceof AuthError ? error : unreadablePostmanFile();
    }
    return decodePostmanFile(bytes);
  } finally {
    await handle.close();
  }
}
