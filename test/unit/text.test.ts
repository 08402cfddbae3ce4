import * as assert from 'node:assert/strict';
import { hasControlChars, hasFormatChars, hasSpaceOrControlChars, MAX_SHOWN_NAME, quotedName, replaceControlChars, shownName } from '../../src/core/base/text';

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

describe('a name from outside, shown in a dialog or a log line', () => {
  it('marks each run of control characters and each format character with U+FFFD', () => {
    assert.equal(shownName('shop\n[tasks] forged line'), 'shop\ufffd[tasks] forged line');
    assert.equal(shownName('a\r\n\tb'), 'a\ufffdb');
    assert.equal(shownName('abc\u202egnp.exe'), 'abc\ufffdgnp.exe');
    assert.equal(shownName('a\u200b\u2066b'), 'a\ufffd\ufffdb');
    assert.equal(shownName('Jane\'s "shop" é 名 👍'), 'Jane\'s "shop" é 名 👍');
  });

  it('cuts a long one, never inside a character', () => {
    const long = shownName('名'.repeat(MAX_SHOWN_NAME) + '👍'.repeat(10));
    assert.equal(Array.from(long).length, MAX_SHOWN_NAME);
    assert.ok(long.endsWith('…'));
    assert.equal(shownName('👍'.repeat(5), 3), '👍👍…');
  });

  it('quotes it with its own quotes escaped, so it cannot close them', () => {
    assert.equal(quotedName('shop'), '"shop"');
    assert.equal(quotedName('a" is safe. Allow "b'), '"a\\" is safe. Allow \\"b"');
    assert.equal(quotedName('x\n\u202ey\\'), '"x\ufffd\ufffdy\\\\"');
  });
});
