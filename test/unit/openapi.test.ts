/**
 * The test server and the extension's readers, held to PandaDoc's own OpenAPI document
 * (../shared/pandadoc-openapi-auth.json): the server's real answers over real HTTP must match the
 * document's response schemas and media types, and the document's examples must read as they
 * should. Each check is also shown to fail on a body the document does not allow.
 */
import * as assert from 'node:assert/strict';
import { AuthError } from '../../src/core/base/errors';
import type { HttpResponse, HttpSender } from '../../src/core/pandadoc/http';
import { fetchCurrentMember, type Member } from '../../src/core/pandadoc/members';
import { interpretTokenResponse, type GrantKind, type TokenGrant } from '../../src/core/pandadoc/tokenEndpoint';
import { rejection } from '../support/assertions';
import { type Answer, OpenApiDocument } from '../support/openapi';
import { PandaDocServer } from '../support/pandadocServer';
import { rawRequest, redirectQuery } from '../support/rawHttp';

const TOKEN = '/oauth2/access_token';
const MEMBERS = '/public/v1/members/current';
const REDIRECT_URI = 'http://127.0.0.1:1/callback';
const NOW = Date.UTC(2026, 10, 25);

type Form = Record<string, string>;

describe("the test server, held to PandaDoc's OpenAPI document", () => {
  let openapi: OpenApiDocument;
  let server: PandaDocServer;
  let client: { clientId: string; clientSecret: string; refreshToken: string };

  before(() => {
    openapi = OpenApiDocument.load();
    assert.equal(openapi.version, '8.8.0');
  });

  beforeEach(async () => {
    server = await PandaDocServer.start();
    client = server.addClient();
  });

  afterEach(async () => {
    await server.close();
  });

  async function send(path: string, options: { method?: string; headers?: Form; body?: string } = {}): Promise<Answer> {
    const response = await rawRequest(`${server.url}${path}`, options);
    return { status: response.status, contentType: response.headers['content-type'], body: response.body };
  }

  const postForm = (form: Form, contentType = 'application/x-www-form-urlencoded') =>
    send(TOKEN, { method: 'POST', headers: { 'Content-Type': contentType }, body: new URLSearchParams(form).toString() });

  const refreshForm = (of = client): Form => ({
    grant_type: 'refresh_token',
    client_id: of.clientId,
    client_secret: of.clientSecret,
    scope: 'read+write',
    refresh_token: of.refreshToken,
  });

  /** A fresh code from the server's sign-in page, and the exchange form for it. */
  async function codeForm(): Promise<Form> {
    const authorize = new URLSearchParams({ client_id: client.clientId, redirect_uri: REDIRECT_URI, scope: 'read+write', response_type: 'code' });
    const code = (await redirectQuery(`${server.url}/oauth2/authorize?${authorize.toString()}`)).get('code') ?? '';
    return { grant_type: 'authorization_code', code, client_id: client.clientId, client_secret: client.clientSecret, scope: 'read+write', redirect_uri: REDIRECT_URI };
  }

  /** The answer conforms to the document, with the status expected. */
  function assertConforms(path: string, method: string, answer: Answer, status: number): void {
    assert.equal(answer.status, status, answer.body);
    assert.deepEqual(openapi.problems(path, method, answer), [], `${method} ${path} -> ${status}: ${answer.body}`);
  }

  /** A live access token, from a real refresh by a client of its own. */
  const accessToken = async (): Promise<string> =>
    (JSON.parse((await postForm(refreshForm(server.addClient()))).body) as { access_token: string }).access_token;

  describe('the token endpoint', () => {
    it('answers a refresh with a 200 of the document', async () => {
      assertConforms(TOKEN, 'post', await postForm(refreshForm()), 200);
    });

    it('answers an authorization-code exchange with a 200 of the document', async () => {
      assertConforms(TOKEN, 'post', await postForm(await codeForm()), 200);
    });

    const refusals: [what: string, answer: () => Promise<Answer>, error: string][] = [
      ['a revoked refresh token', () => {
        server.revoke(client.refreshToken);
        return postForm(refreshForm());
      }, 'invalid_grant'],
      ['a used code', async () => {
        const form = await codeForm();
        await postForm(form);
        return postForm(form);
      }, 'invalid_grant'],
      ['a JSON body instead of a form', () => postForm(refreshForm(), 'application/json'), 'invalid_request'],
      ['no grant_type', () => postForm({ ...refreshForm(), grant_type: '' }), 'invalid_request'],
      ['an unknown grant_type', () => postForm({ ...refreshForm(), grant_type: 'password' }), 'unsupported_grant_type'],
      ['a wrong client secret', () => postForm(refreshForm({ ...client, clientSecret: 'wrong' })), 'invalid_client'],
    ];
    for (const [what, answer, error] of refusals) {
      it(`answers ${what} with a 400 ${error} of the document`, async () => {
        const refused = await answer();
        assertConforms(TOKEN, 'post', refused, 400);
        assert.deepEqual(JSON.parse(refused.body), { error });
      });
    }
  });

  describe('members/current', () => {
    it('answers an access token and an API key with a 200 of the document', async () => {
      assertConforms(MEMBERS, 'get', await send(MEMBERS, { headers: { Authorization: `Bearer ${await accessToken()}` } }), 200);
      assertConforms(MEMBERS, 'get', await send(MEMBERS, { headers: { Authorization: `API-Key ${server.addApiKey()}` } }), 200);
    });

    it('sends exactly the fields of the example of the document', async () => {
      const [example] = openapi.examples(MEMBERS, 'get', 200);
      const answer = await send(MEMBERS, { headers: { Authorization: `API-Key ${server.addApiKey()}` } });
      assert.deepEqual(Object.keys(JSON.parse(answer.body) as object).sort(), Object.keys(example.value as object).sort());
    });

    it('answers a missing, unknown, expired or mis-schemed credential with a 401 of the document', async () => {
      const expired = await accessToken();
      server.expireAccessToken(expired);
      const headers: Form[] = [
        {},
        { Authorization: 'Bearer not-a-token-of-this-server' },
        { Authorization: `Bearer ${expired}` },
        { Authorization: 'API-Key not-a-key-of-this-server' },
        { Authorization: `Token ${await accessToken()}` },
      ];
      for (const header of headers) {
        assertConforms(MEMBERS, 'get', await send(MEMBERS, { headers: header }), 401);
      }
    });

    it('throttles with a 429 of the document, with and without Retry-After', async () => {
      server.failNext({ kind: 'throttle', retryAfterSeconds: 13 }, { kind: 'throttle' });
      const first = await rawRequest(`${server.url}${MEMBERS}`);
      assertConforms(MEMBERS, 'get', { status: first.status, contentType: first.headers['content-type'], body: first.body }, 429);
      assert.equal(first.headers['retry-after'], '13');
      assertConforms(MEMBERS, 'get', await send(MEMBERS), 429);
    });
  });

  describe('each check can fail', () => {
    const json = 'application/json';
    const wrong: [what: string, path: string, method: string, answer: Answer, says: RegExp][] = [
      ['a token 200 with a numeric access_token', TOKEN, 'post', { status: 200, contentType: json, body: '{"access_token":42}' }, /\/access_token must be string/],
      ['a token 200 with expires_in as text', TOKEN, 'post', { status: 200, contentType: json, body: '{"access_token":"a","expires_in":"31535999"}' }, /\/expires_in must be number/],
      ['a token 400 with a numeric error', TOKEN, 'post', { status: 400, contentType: json, body: '{"error":400}' }, /\/error must be string/],
      ['a token 400 in HTML', TOKEN, 'post', { status: 400, contentType: 'text/html', body: '<p>Bad Request</p>' }, /content type text\/html is not one of application\/json/],
      ['a token 400 that is not JSON', TOKEN, 'post', { status: 400, contentType: json, body: 'invalid_grant' }, /not JSON/],
      ['a token 401 (the document declares none)', TOKEN, 'post', { status: 401, contentType: json, body: '{"error":"invalid_client"}' }, /declares no 401 response/],
      ['a member whose is_active is text', MEMBERS, 'get', { status: 200, contentType: json, body: '{"email":"a@example.test","is_active":"yes"}' }, /\/is_active must be boolean/],
      ['a member 401 with a text detail', MEMBERS, 'get', { status: 401, contentType: json, body: '{"type":"request_error","detail":"Authentication credentials were not provided."}' }, /\/detail must be object/],
      ['a member 401 without a content type', MEMBERS, 'get', { status: 401, contentType: undefined, body: '{}' }, /content type \(none\)/],
      ['a member 429 with a numeric detail', MEMBERS, 'get', { status: 429, contentType: json, body: '{"type":"throttled","detail":13}' }, /\/detail must be string/],
    ];
    for (const [what, path, method, answer, says] of wrong) {
      it(`rejects ${what}`, () => {
        const problems = openapi.problems(path, method, answer);
        assert.ok(problems.some((p) => says.test(p)), problems.join('; ') || 'no problem found');
      });
    }

    it('compiles each schema once: these use the validators the server passed', () => {
      assert.equal(openapi.bodySchema(TOKEN, 'post', 200), openapi.bodySchema(TOKEN, 'post', 200));
    });
  });
});

describe("the extension's readers, on the examples of PandaDoc's OpenAPI document", () => {
  const openapi = OpenApiDocument.load();

  const jsonResponse = (status: number, body: unknown): HttpResponse => ({
    status,
    body: JSON.stringify(body),
    header: (name) => (name.toLowerCase() === 'content-type' ? 'application/json' : null),
  });

  /** Examples of one response, each checked against the response's own schema first. */
  function examplesOf(path: string, method: string, status: number) {
    const examples = openapi.examples(path, method, status);
    assert.ok(examples.length > 0, `the document has examples of ${status}`);
    for (const { name, value } of examples) {
      const answer = { status, contentType: 'application/json', body: JSON.stringify(value) };
      assert.deepEqual(openapi.problems(path, method, answer), [], `the example ${name} of ${status}`);
    }
    return examples;
  }

  it('finds the examples the document has', () => {
    const names = (path: string, method: string, status: number) => openapi.examples(path, method, status).map((e) => e.name);
    assert.deepEqual(names(TOKEN, 'post', 200), ['field examples']);
    assert.deepEqual(names(TOKEN, 'post', 400), ['field examples']);
    assert.deepEqual(names(MEMBERS, 'get', 200), ['Current Member Details', 'field examples']);
    for (const status of [400, 401, 403, 429]) {
      assert.deepEqual(names(MEMBERS, 'get', status), ['field examples']);
    }
  });

  it('reads each example token 200 as a grant', () => {
    for (const grant of ['refresh_token', 'authorization_code'] as GrantKind[]) {
      for (const { value } of examplesOf(TOKEN, 'post', 200)) {
        const expected: TokenGrant = {
          accessToken: '2ff2dfe36322448c6953616740a910be57bbd4ca',
          refreshToken: '4c82f23d91a75961f4d08134fc5ad0dfe6a4c36a',
          expiresAt: NOW + 31535999 * 1000,
          expiryFromServer: true,
        };
        assert.deepEqual(interpretTokenResponse(jsonResponse(200, value), NOW, grant), expected);
      }
    }
  });

  it('reads each example token 400 as a refusal naming its OAuth error', () => {
    for (const { value } of examplesOf(TOKEN, 'post', 400)) {
      assert.throws(
        () => interpretTokenResponse(jsonResponse(400, value), NOW),
        (error: unknown) =>
          error instanceof AuthError &&
          error.code === 'rejected' &&
          error.details.status === 400 &&
          error.details.oauthError === 'unsupported_grant_type',
      );
    }
  });

  const answering = (status: number, body: unknown): HttpSender => ({ send: async () => jsonResponse(status, body) });
  const whoAmI = (http: HttpSender) =>
    fetchCurrentMember(http, { baseUrl: 'https://api.pandadoc.com', authorization: 'API-Key k', timeoutMs: 1000, userAgent: 'tests' });

  it('reads each example member', async () => {
    const expected: Record<string, Member> = {
      'Current Member Details': {
        userId: 'FA5QAu8UGA3oVDDZuPL75B',
        email: 'siarhei@pandadoc.com',
        firstName: 'Siarhei',
        workspaceId: 'n7SK7prHeoWJSXb9VkrPve',
        workspaceName: 'Workspace',
        role: 'Admin',
        membershipId: 'RyMNXBjBPRppi56TfYBrXi',
      },
      'field examples': {
        userId: 'ajnN7eGutJZsRKjQrNuPkh',
        email: 'josh@example.com',
        firstName: 'Josh',
        lastName: 'Ron',
        workspaceId: 'xc4mBZ7dKErXQtJwwD6Ghg',
        workspaceName: 'PandaDoc',
        role: 'Admin',
        membershipId: 'radQBiBkU7MBk59NSgaGf5',
      },
    };
    for (const { name, value } of examplesOf(MEMBERS, 'get', 200)) {
      assert.deepEqual(await whoAmI(answering(200, value)), expected[name], name);
    }
  });

  it('reads each example member error as its AuthError code', async () => {
    const codes: [number, AuthError['code']][] = [
      [400, 'rejected'],
      [401, 'unauthorized'],
      [403, 'unauthorized'],
      [429, 'rate_limited'],
    ];
    for (const [status, code] of codes) {
      for (const { value } of examplesOf(MEMBERS, 'get', status)) {
        const error = await rejection(whoAmI(answering(status, value)));
        assert.equal(error.code, code, `${status}`);
        assert.equal(error.details.status, status);
      }
    }
  });
});
