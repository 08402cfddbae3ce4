import * as assert from 'node:assert/strict';
import { hasControlChars, hasSpaceOrControlChars, replaceControlChars } from '../../src/core/base/text';

describe('the control-character rule', () => {
  const controls = ['\u0000', '\n', '\u001f', '\u007f', '\u0085', '\u009f', '\u2028', '\u2029'];
  for (const c of controls) {
    it(`finds U+${c.codePointAt(0)!.toString(16).padStart(4, '0')}`, () => {
      assert.equal(hasControlChars(`a${c}b`), true);
      assert.equal(hasSpaceOrControlChars(`a${c}b`), true);
    });
  }

  it('leaves printable text, spaces included, alone', () => {
    assert.equal(hasControlChars('Jane Doe <jane@example.com> é 名'), false);
    assert.equal(hasSpaceOrControlChars('abc-DEF_123.~'), false);
    assert.equal(hasSpaceOrControlChars('a b'), true);
    assert.equal(hasSpaceOrControlChars('a\u00a0b'), true);
  });

  it('replaces each run of control characters once', () => {
    assert.equal(replaceControlChars('a\r\n\tb\u2028c', ' '), 'a b c');
    assert.equal(replaceControlChars('plain', ' '), 'plain');
  });
});
