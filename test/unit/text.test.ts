import * as assert from 'node:assert/strict';
import { hasControlChars, hasFormatChars, hasSpaceOrControlChars, replaceControlChars } from '../../src/core/base/text';

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

describe('the format-character rule', () => {
  // Category Cf: zero-width, bidi, the byte order mark, the soft hyphen, invisible operators.
  const formats = ['\u00ad', '\u061c', '\u200b', '\u200e', '\u202a', '\u202e', '\u2066', '\u2069', '\u2060', '\u2064', '\ufeff', '\u{e0001}'];
  for (const c of formats) {
    it(`finds U+${c.codePointAt(0)!.toString(16).padStart(4, '0')}`, () => {
      assert.equal(hasFormatChars(`a${c}b`), true);
      assert.equal(hasControlChars(`a${c}b`), false, 'a rule of its own, beside the control characters');
    });
  }

  it('leaves visible text alone', () => {
    assert.equal(hasFormatChars('Jane Doe <jane@example.com> é 名 abc-DEF_123.~+/='), false);
  });
});
