import { commitUrl, compareUrl, httpsBase, repoWeb } from './gitHost';

const SHA = '45d9f8a1b2c3d4e5f60718293a4b5c6d7e8f9a0b';
const OLD = '0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d';

const commitOf = (url: string, hosts?: Record<string, string>) => {
  const web = repoWeb(url, hosts);
  return web && commitUrl(web, SHA);
};

describe('commit links from repository URLs', () => {
  it.each([
    ['https://github.com/acme/shop.git', `https://github.com/acme/shop/commit/${SHA}`],
    ['https://github.com/acme/shop/', `https://github.com/acme/shop/commit/${SHA}`],
    ['http://github.com/acme/shop', `https://github.com/acme/shop/commit/${SHA}`],
    ['git@github.com:acme/shop.git', `https://github.com/acme/shop/commit/${SHA}`],
    ['ssh://git@github.com:22/acme/shop.git', `https://github.com/acme/shop/commit/${SHA}`],
    ['ssh://deploy-bot@github.com/acme/shop', `https://github.com/acme/shop/commit/${SHA}`],
    ['https://x-token:ghp_s3cr3t@github.com/acme/shop.git', `https://github.com/acme/shop/commit/${SHA}`],
    ['https://gitlab.com/acme/platform/apps/shop.git', `https://gitlab.com/acme/platform/apps/shop/-/commit/${SHA}`],
    ['git@gitlab.com:acme/platform/shop.git', `https://gitlab.com/acme/platform/shop/-/commit/${SHA}`],
    ['https://bitbucket.org/acme/shop.git', `https://bitbucket.org/acme/shop/commits/${SHA}`],
    ['git@bitbucket.org:acme/shop.git', `https://bitbucket.org/acme/shop/commits/${SHA}`],
    ['https://codeberg.org/acme/shop.git', `https://codeberg.org/acme/shop/commit/${SHA}`],
    ['https://dev.azure.com/acme/Platform/_git/shop', `https://dev.azure.com/acme/Platform/_git/shop/commit/${SHA}`],
    [
      'https://acme@dev.azure.com/acme/Platform/_git/shop',
      `https://dev.azure.com/acme/Platform/_git/shop/commit/${SHA}`,
    ],
    ['git@ssh.dev.azure.com:v3/acme/Platform/shop', `https://dev.azure.com/acme/Platform/_git/shop/commit/${SHA}`],
    ['https://acme.visualstudio.com/Platform/_git/shop', `https://dev.azure.com/acme/Platform/_git/shop/commit/${SHA}`],
    ['ssh://git@bitbucket.org/acme/shop.git', `https://bitbucket.org/acme/shop/commits/${SHA}`],
    [
      'ssh://git@gitlab.com:443/acme/platform/apps/shop.git',
      `https://gitlab.com/acme/platform/apps/shop/-/commit/${SHA}`,
    ],
    ['git@codeberg.org:acme/shop.git', `https://codeberg.org/acme/shop/commit/${SHA}`],
    [
      'ssh://git@ssh.dev.azure.com/v3/acme/Platform/shop',
      `https://dev.azure.com/acme/Platform/_git/shop/commit/${SHA}`,
    ],
    ['https://GitHub.com/acme/shop.git', `https://github.com/acme/shop/commit/${SHA}`],
  ])('%s', (url, want) => {
    expect(commitOf(url)).toBe(want);
  });

  it('knows self-hosted hosts only from the settings map, keeping an https port and dropping an ssh port', () => {
    expect(commitOf('https://git.example.org/acme/shop.git')).toBeUndefined();
    const hosts = { 'git.example.org': 'gitlab', 'gitea.example.org:8443': 'gitea', 'forge.example.org': 'forgejo' };
    expect(commitOf('https://git.example.org/acme/team/shop.git', hosts)).toBe(
      `https://git.example.org/acme/team/shop/-/commit/${SHA}`
    );
    expect(commitOf('ssh://git@git.example.org:2222/acme/shop.git', hosts)).toBe(
      `https://git.example.org/acme/shop/-/commit/${SHA}`
    );
    expect(commitOf('https://gitea.example.org:8443/acme/shop', hosts)).toBe(
      `https://gitea.example.org:8443/acme/shop/commit/${SHA}`
    );
    expect(commitOf('forgejo@forge.example.org:acme/shop.git', hosts)).toBe(
      `https://forge.example.org/acme/shop/commit/${SHA}`
    );
    expect(commitOf('git@gitea.example.org:acme/shop.git', { 'gitea.example.org': 'gitea' })).toBe(
      `https://gitea.example.org/acme/shop/commit/${SHA}`
    );
    expect(commitOf('ssh://git@bb.example.org:7999/acme/shop.git', { 'bb.example.org': 'bitbucket' })).toBe(
      `https://bb.example.org/acme/shop/commits/${SHA}`
    );
    expect(commitOf('https://git.example.org/acme/shop', { 'git.example.org': 'svn' })).toBeUndefined();
  });

  it('refuses what it cannot read safely', () => {
    expect(commitOf('https://github.com/acme')).toBeUndefined();
    expect(commitOf('https://github.com/acme/team/shop')).toBeUndefined();
    expect(commitOf('https://github.com/acme/../shop')).toBeUndefined();
    expect(commitOf('javascript:alert(1)//github.com/a/b')).toBeUndefined();
    expect(commitOf('file:///srv/git/shop')).toBeUndefined();
    expect(repoWeb('https://github.com/a/b') && commitUrl(repoWeb('https://github.com/a/b')!, 'main')).toBeUndefined();
  });

  it('compares two commits on each host', () => {
    const cmp = (url: string) => compareUrl(repoWeb(url)!, OLD, SHA);
    expect(cmp('https://github.com/acme/shop')).toBe(`https://github.com/acme/shop/compare/${OLD}...${SHA}`);
    expect(cmp('https://gitlab.com/acme/sub/shop')).toBe(`https://gitlab.com/acme/sub/shop/-/compare/${OLD}...${SHA}`);
    expect(cmp('https://bitbucket.org/acme/shop')).toBe(
      `https://bitbucket.org/acme/shop/branches/compare/${SHA}%0D${OLD}#diff`
    );
    expect(cmp('https://dev.azure.com/acme/P/_git/shop')).toBe(
      `https://dev.azure.com/acme/P/_git/shop/branchCompare?baseVersion=GC${OLD}&targetVersion=GC${SHA}`
    );
  });

  it('web UI bases: https only, user info stripped', () => {
    expect(httpsBase('https://admin:pw@argocd.example.org/')).toBe('https://argocd.example.org');
    expect(httpsBase('https://rancher.example.org:8443/prefix/')).toBe('https://rancher.example.org:8443/prefix');
    expect(httpsBase('http://argocd.example.org')).toBeUndefined();
    expect(httpsBase('javascript:alert(1)')).toBeUndefined();
  });
});
