import { explorePanesUrl } from './explore';

describe('explorePanesUrl', () => {
  it("is Explore's panes URL (schemaVersion 1): the query on the Loki data source, five minutes either side", () => {
    const url = explorePanesUrl('loki-uid', '{job="kube-audit"} |= "a b"', 1_772_446_800_000, '/grafana');
    const prefix = '/grafana/explore?schemaVersion=1&panes=';
    expect(url.startsWith(prefix)).toBe(true);
    // Written out by hand: what Explore reads back from `panes`.
    expect(JSON.parse(decodeURIComponent(url.slice(prefix.length)))).toEqual({
      provenance: {
        datasource: 'loki-uid',
        queries: [
          {
            refId: 'A',
            expr: '{job="kube-audit"} |= "a b"',
            queryType: 'range',
            datasource: { type: 'loki', uid: 'loki-uid' },
          },
        ],
        range: { from: '1772446500000', to: '1772447100000' },
      },
    });
  });

  it('without a sub-path starts at /explore, and the query is encoded (no raw quote, brace or space)', () => {
    const url = explorePanesUrl('u', '{job="x"} |= "&panes="', 0);
    expect(url.startsWith('/explore?schemaVersion=1&panes=%7B%22provenance%22%3A')).toBe(true);
    expect(url.slice('/explore?'.length)).not.toMatch(/["{} ]|&panes=.*&/);
  });
});
