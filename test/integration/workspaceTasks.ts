/** Running a task of the integration workspace's `.vscode/tasks.json` as VS Code runs it, inputs
 *  resolved, for the task input's tests and the hostile-caller table. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

/** Runs the workspace task `label`; resolves whether it started, once it ended or `quietMs`
 *  passed without a start (an input that rejects, or a refused one, stops it from starting). */
export async function runWorkspaceTask(label: string, quietMs = 4000): Promise<boolean> {
  let task: vscode.Task | undefined;
  // VS Code reads a tasks.json written just before on its own time.
  for (let tries = 0; task === undefined && tries < 40; tries++) {
    task = (await vscode.tasks.fetchTasks()).find((candidate) => candidate.name === label);
    if (task === undefined) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  assert.ok(task, `the task ${label} is found`);
  let started = false;
  const ended = new Promise<void>((resolve) => {
    const subscriptions = [
      vscode.tasks.onDidStartTask((event) => {
        started ||= event.execution.task.name === label;
      }),
      vscode.tasks.onDidEndTaskProcess((event) => {
        if (event.execution.task.name === label) {
          subscriptions.forEach((s) => s.dispose());
          resolve();
        }
      }),
    ];
    setTimeout(() => {
      if (!started) {
        subscriptions.forEach((s) => s.dispose());
        resolve();
      }
    }, quietMs);
  });
  await vscode.tasks.executeTask(task);
  await ended;
  return started;
}
