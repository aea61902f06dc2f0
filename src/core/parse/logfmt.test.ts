import { parseLogfmt } from './logfmt';

describe('parseLogfmt', () => {
  it('reads bare and Go-quoted values with escapes', () => {
    expect(
      parseLogfmt('time="2026-03-02T10:20:00Z" level=info msg="say \\"hi\\"\\n\\tto \\u00e9" application=x empty=')
    ).toEqual({
      time: '2026-03-02T10:20:00Z',
      level: 'info',
      msg: 'say "hi"\n\tto é',
      application: 'x',
      empty: '',
    });
  });

  it('returns undefined for non-logfmt text and unterminated quotes', () => {
    expect(parseLogfmt('hello world')).toBeUndefined();
    expect(parseLogfmt('msg="never closed')).toBeUndefined();
    expect(parseLogfmt('"quoted"=x')).toBeUndefined();
    expect(parseLogfmt('')).toBeUndefined();
  });

  it('tolerates bare words after the first pair', () => {
    expect(parseLogfmt('a=1 stray b=2')).toEqual({ a: '1', b: '2' });
  });
});

describe('parseLogfmt: Go %q escapes and spacing', () => {
  it('reads \\x, \\u and \\U escapes, and writes U+FFFD for a malformed or out-of-range one', () => {
    expect(parseLogfmt('a="\\x41\\u00e9\\U0001F600"')).toEqual({ a: 'Aé😀' });
    expect(parseLogfmt('a="\\xZZ!"')).toEqual({ a: '\ufffd!' });
    expect(parseLogfmt('a="\\u12zz"')).toEqual({ a: '\ufffd' });
    expect(parseLogfmt('a="\\U00110000."')).toEqual({ a: '\ufffd.' });
    expect(parseLogfmt('a="\\U0010FFFF"')).toEqual({ a: String.fromCodePoint(0x10ffff) });
    expect(parseLogfmt('a="\\x1Z\\u0Z41"')).toEqual({ a: '\ufffd\ufffd' });
  });

  it('reads each single-letter escape, and keeps the letter of an unknown one', () => {
    expect(parseLogfmt('a="\\a\\b\\f\\v\\r\\/\\\\\\q"')).toEqual({ a: '\x07\b\f\v\r/\\q' });
  });

  it('a value ending in a lone backslash is an unterminated quote', () => {
    expect(parseLogfmt('a="x\\')).toBeUndefined();
  });

  it('skips tabs and repeated spaces between pairs, and a trailing bare word', () => {
    expect(parseLogfmt('\ta=1  \tb="two words" stray')).toEqual({ a: '1', b: 'two words' });
  });

  it('a line that starts with a bare word, or a key with characters keys never have, is not logfmt', () => {
    expect(parseLogfmt('starting a=1')).toBeUndefined();
    expect(parseLogfmt('a=1 b{c}=2')).toBeUndefined();
    expect(parseLogfmt('{a=1')).toBeUndefined();
    expect(parseLogfmt('   ')).toBeUndefined();
  });

  it('a quoted value ending in = is read whole, and the next pair after it', () => {
    expect(parseLogfmt('msg="k=" level=info')).toEqual({ msg: 'k=', level: 'info' });
  });

  it('keys may hold dots, dashes, slashes and @', () => {
    expect(parseLogfmt('k8s.io/name=web x-y@z=1')).toEqual({ 'k8s.io/name': 'web', 'x-y@z': '1' });
  });
});
