import * as assert from 'node:assert/strict';
import { isAuthError } from '../../src/core/base/errors';
import { describeTaskValue, isSecretValue, parseTaskInput, TASK_INPUT_SHAPE } from '../../src/core/routes/taskInput';

describe('the argument of pandadoc.taskCredential', () => {
  const good: [string, unknown, ReturnType<typeof parseTaskInput>][] = [
    ['no args', undefined, { value: 'authorization' }],
    ['null', null, { value: 'authorization' }],
    ['"authorization"', 'authorization', { value: 'authorization' }],
    ['"token"', 'token', { value: 'token' }],
    ['"baseUrl"', 'baseUrl', { value: 'baseUrl' }],
    ['an empty object', {}, { value: 'authorization' }],
    ['a value', { value: 'token' }, { value: 'token' }],
    ['a profile only', { profile: 'Sandbox' }, { value: 'authorization', profile: 'Sandbox' }],
    ['both, the profile trimmed', { value: 'baseUrl', profile: '  EU Sandbox ' }, { value: 'baseUrl', profile: 'EU Sandbox' }],
  ];
  for (const [what, raw, expected] of good) {
    it(`reads ${what}`, () => {
      assert.deepEqual(parseTaskInput(raw), expected);
    });
  }

  const bad: [string, unknown, RegExp][] = [
    ['another word', 'header', /^The argument is not one of "authorization", "token" or "baseUrl"\./],
    ['the wrong case', 'Token', /is not one of/],
    ['a number', 42, /^The argument is neither a string nor an object\./],
    ['an array', ['token'], /neither a string nor an object/],
    ['an unknown value', { value: 'refreshToken' }, /^Its "value" is not one of/],
    ['a value of another type', { value: 1 }, /^Its "value" is not one of/],
    ['an unknown key', { value: 'token', scope: 'read' }, /^The argument has "scope", which it does not take\./],
    ['a key not worth naming', { 'a key with spaces and more than thirty-two characters': 1 }, /^The argument has a key, which it does not take\./],
    ['an empty profile', { profile: ' ' }, /^Its "profile" is not a profile name\./],
    ['a profile that is no string', { profile: 7 }, /^Its "profile" is not a profile name\./],
    ['a profile with a line break', { profile: 'a\nb' }, /^Its "profile" is not a profile name\./],
    // `${command:pandadoc.taskCredential}` hands over the whole configuration.
    ['a launch configuration', { type: 'node', request: 'launch', name: 'App', env: {} }, /whole task or launch configuration: use it through an input, as "\$\{input:<id>\}"/],
    ['a task', { label: 'build', type: 'shell', command: 'make' }, /whole task or launch configuration/],
  ];
  for (const [what, raw, message] of bad) {
    it(`refuses ${what} with bad_input, saying what it takes`, () => {
      assert.throws(
        () => parseTaskInput(raw),
        (error: unknown) => isAuthError(error) && error.code === 'bad_input' && message.test(error.message) && error.message.endsWith(TASK_INPUT_SHAPE),
      );
    });
  }

  it('never echoes what it was given', () => {
    const marker = 'marker-7f3a9c';
    for (const raw of [marker, { value: marker }, { profile: `${marker}\u0007` }, { [marker.repeat(5)]: 1 }]) {
      assert.throws(() => parseTaskInput(raw), (error: Error) => !error.message.includes(marker));
    }
  });

  it('names what each value is, never the value, and only the base URL is no secret', () => {
    assert.equal(describeTaskValue('authorization', 'oauth'), 'the Authorization header (Bearer and the access token)');
    assert.equal(describeTaskValue('authorization', 'apiKey'), 'the Authorization header (API-Key and the API key)');
    assert.equal(describeTaskValue('token', 'oauth'), 'the OAuth access token');
    assert.deepEqual(['authorization', 'token', 'baseUrl'].map((v) => isSecretValue(v as 'token')), [true, true, false]);
  });
});
