/**
 * The task input answering a workspace that holds the tasks grant: `executeCommand` of
 * `pandadoc.taskCredential`, as VS Code's resolver calls an input of type `command`, on stored
 * OAuth credentials whose access token is good for a day, so no call refreshes or asks. Each call
 * awaited and timed on its own, after a warm-up. For scale, the same loop times a command of the
 * bench's own that returns a string at once (what any command input costs in this extension
 * host) and `getApi(1).getAuthorizationHeader()` called directly.
 */
import * as vscode from 'vscode';
import type { PandaDocAuthApiV1 } from '../../../src/api/pandadoc-auth';
import type { WorkspaceGrants } from '../../../src/core/routes/workspaceGrants';
import { COMMAND } from '../../../src/vscode/base/commandIds';
import { currentWorkspace } from '../../../src/vscode/base/workspaceIdentity';
import { PANDADOC_EXPIRES_IN } from '../../support/pandadocServer';
import type { TaskInputFigures } from '../handOver';
import { percentiles, timeEach } from './hotPath';
import type { BenchServer } from './localServer';

export const TASK_INPUT_CALLS = 2_000;
const WARM_UP = 200;
const NOOP_COMMAND = 'pandadocBench.answerAtOnce';

export async function measureTaskInput(
  api: PandaDocAuthApiV1,
  testing: { grants: WorkspaceGrants; modalsAskedInAll(): number },
  { server, client }: BenchServer,
): Promise<TaskInputFigures> {
  const workspace = currentWorkspace();
  if (workspace === undefined) {
    throw new Error('the bench window has no folder open, so no workspace to grant');
  }
  server.expiresIn = PANDADOC_EXPIRES_IN;
  // A placeholder access token valid for a day, far outside the 5-minute refresh margin.
  const valid = { ...client, refreshToken: server.grant(client.clientId), accessToken: 't'.repeat(40), expiresAt: Date.now() + 86_400_000 };
  await api.setOAuthCredentials(valid);
  await testing.grants.grant(workspace, 'tasks', api.getStatus().profile);
  const noop = vscode.commands.registerCommand(NOOP_COMMAND, () => 'Bearer placeholder');
  try {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const values = new Set<unknown>();
    const call = () => vscode.commands.executeCommand(COMMAND.taskCredential).then((value) => values.add(value));
    await timeEach(WARM_UP, call);
    const requests = server.tokenRequests().length;
    const questions = testing.modalsAskedInAll();
    const times = await timeEach(TASK_INPUT_CALLS, call);
    return {
      calls: TASK_INPUT_CALLS,
      warmUp: WARM_UP,
      us: percentiles(times),
      requests: server.tokenRequests().length - requests,
      distinctValues: values.size,
      questions: testing.modalsAskedInAll() - questions,
      scale: {
        noopCommand: percentiles(await timeEach(TASK_INPUT_CALLS, () => vscode.commands.executeCommand(NOOP_COMMAND))),
        header: percentiles(await timeEach(TASK_INPUT_CALLS, () => api.getAuthorizationHeader())),
      },
    };
  } finally {
    noop.dispose();
    await testing.grants.revoke(workspace.id, 'tasks');
  }
}
