/** The input boxes that collect credentials. Secrets are masked; focus loss does not cancel. */
import * as vscode from 'vscode';
import { type CredentialField, credentialProblem } from '../core/validation';

interface Step {
  field: CredentialField;
  prompt: string;
  password: boolean;
  value?: string;
}

function ask(step: Step, index: number, total: number, title: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: total > 1 ? `${title} (${index + 1}/${total})` : title,
    prompt: step.prompt,
    value: step.value,
    password: step.password,
    ignoreFocusOut: true,
    validateInput: (value) => credentialProblem(value, step.field),
  });
}

async function askAll(title: string, steps: Step[]): Promise<string[] | undefined> {
  const answers: string[] = [];
  for (const [index, step] of steps.entries()) {
    const answer = await ask(step, index, steps.length, title);
    if (answer === undefined) {
      return undefined; // Escape: cancelled, silently.
    }
    answers.push(answer);
  }
  return answers;
}

export async function promptOAuthCredentials(
  storedClientId: string | undefined,
): Promise<{ clientId: string; clientSecret: string; refreshToken: string } | undefined> {
  const answers = await askAll('PandaDoc OAuth Credentials', [
    {
      field: 'clientId',
      prompt: 'Client ID of your PandaDoc OAuth application (Developer Dashboard > Configuration)',
      password: false,
      value: storedClientId,
    },
    { field: 'clientSecret', prompt: 'Client secret of the same application', password: true },
    { field: 'refreshToken', prompt: 'Refresh token (the refresh_token of your last token response)', password: true },
  ]);
  return answers && { clientId: answers[0], clientSecret: answers[1], refreshToken: answers[2] };
}

export async function promptApiKey(): Promise<string | undefined> {
  const answers = await askAll('PandaDoc API Key', [
    { field: 'apiKey', prompt: 'API key (Developer Dashboard > API key; sandbox keys work too)', password: true },
  ]);
  return answers?.[0];
}
