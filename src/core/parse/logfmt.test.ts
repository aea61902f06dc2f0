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
