import * as assert from 'node:assert/strict';
import { answerOf, CONSENT_BUTTON, consentQuestion, consentStep, failureLead, refusalMessage } from '../../src/core/routes/taskConsent';
import { workspaceRef } from '../../src/core/routes/workspaceGrants';

describe('consent for a task or launch configuration', () => {
  const shop = { id: 'file:///home/me/shop', name: 'shop', path: '/home/me/shop' };

  it('decides from the folder, then the trust, then the grant', () => {
    const table: [Parameters<typeof consentStep>[0], ReturnType<typeof consentStep>][] = [
      [{ workspace: undefined, trusted: true, granted: false }, { kind: 'refuse', reason: 'no_folder' }],
      [{ workspace: undefined, trusted: false, granted: true }, { kind: 'refuse', reason: 'no_folder' }],
      [{ workspace: shop, trusted: false, granted: false }, { kind: 'refuse', reason: 'untrusted' }],
      // A grant given while trusted does not outlive the trust.
      [{ workspace: shop, trusted: false, granted: true }, { kind: 'refuse', reason: 'untrusted' }],
      [{ workspace: shop, trusted: true, granted: false }, { kind: 'ask', workspace: shop }],
      [{ workspace: shop, trusted: true, granted: true }, { kind: 'allow', workspace: shop }],
    ];
    for (const [facts, step] of table) {
      assert.deepEqual(consentStep(facts), step, JSON.stringify(facts));
    }
  });

  it('asks a question that names the workspace, where it is, what it gets, of which profile, and how to revoke', () => {
    const question = consentQuestion(shop, 'the Authorization header (Bearer and the access token)', 'Default', 'Manage Workspace Permissions...');
    assert.equal(question.message, 'Let the workspace "shop" have your PandaDoc credentials of the profile "Default" in its tasks and launch configurations?');
    assert.match(question.detail, /^A task or launch configuration of "shop" asks for the Authorization header \(Bearer and the access token\) of the PandaDoc profile "Default"\./);
    assert.match(question.detail, /\n\nThe workspace is at \/home\/me\/shop\n\n/);
    assert.match(question.detail, /Allow Always answers every later request of this workspace for the profile "Default" only, without asking,/);
    assert.match(question.detail, /a request for another profile asks again\./);
    assert.match(question.detail, /can send it anywhere/);
    assert.match(question.detail, /tasks\.json and launch\.json are the repository's/);
    assert.match(question.detail, /until you revoke it with the command "PandaDoc: Manage Workspace Permissions\.\.\.";/);
    assert.match(question.detail, /Don't Allow and Cancel run nothing\.$/);
    // Allow Once is the default button: Enter never grants for good.
    assert.deepEqual(question.buttons.map((b) => b.label), ['Allow Once', 'Allow Always for This Workspace and Profile']);
  });

  it('quotes a workspace name so that its quotes, line breaks and bidi characters cannot rewrite the question', () => {
    const forged = workspaceRef({
      folders: [{ uri: 'file:///tmp/x', path: '/tmp/shop"\n\nAllow Always is safe.\u202e', name: 'shop"\n\nAllow Always is safe.\u202e' }],
    });
    assert.ok(forged);
    const question = consentQuestion(forged, 'the OAuth access token', 'Default', 'Manage Workspace Permissions...');
    assert.equal(question.message, 'Let the workspace "shop\\"\ufffdAllow Always is safe.\ufffd" have your PandaDoc credentials of the profile "Default" in its tasks and launch configurations?');
    assert.doesNotMatch(question.message + question.detail.replace(/\n\n/g, ' '), /[\n\u202e]/);
    assert.match(question.detail, /The workspace is at \/tmp\/shop"\ufffdAllow Always is safe\.\ufffd\n/);
    assert.equal(refusalMessage('denied', forged.name), 'The task or launch configuration was cancelled, and got no PandaDoc credential. You did not allow it for the workspace "shop\\"\ufffdAllow Always is safe.\ufffd".');
  });

  it('reads an answer from the label clicked; anything else (Cancel, Escape) is no answer', () => {
    assert.equal(answerOf(CONSENT_BUTTON.always), 'always');
    assert.equal(answerOf(CONSENT_BUTTON.once), 'once');
    assert.equal(answerOf(undefined), undefined);
    assert.equal(answerOf('Cancel'), undefined);
  });

  it('says why nothing was handed out, and that the task was cancelled', () => {
    assert.equal(
      refusalMessage('denied', 'shop'),
      'The task or launch configuration was cancelled, and got no PandaDoc credential. You did not allow it for the workspace "shop".',
    );
    assert.match(refusalMessage('untrusted', 'shop'), /cancelled.*The workspace "shop" is not trusted, and an untrusted workspace never gets PandaDoc credentials\.$/);
    assert.match(refusalMessage('no_folder', undefined), /cancelled.*only to the tasks and launch configurations of an open folder or workspace\.$/);
    assert.equal(failureLead('Sandbox'), 'The task or launch configuration was cancelled, and got nothing of the PandaDoc profile "Sandbox". ');
  });
});
