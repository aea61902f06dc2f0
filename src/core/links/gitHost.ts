/**
 * Web links to a commit and to the comparison of two commits, from the repository URL a GitOps tool was given
 * (Argo CD `spec.source.repoURL`, Fleet GitRepo `spec.repo`): https, `ssh://` and scp-style `git@host:org/repo`
 * forms, with ports, `.git` and user names. Always https and never with user info (a token in a repo URL must
 * not travel into a link). Hosts other than the public ones are known only by the settings map host → kind.
 */

export type GitHostKind = 'github' | 'gitlab' | 'bitbucket' | 'gitea' | 'forgejo' | 'azure-devops';

export const GIT_HOST_KINDS: readonly GitHostKind[] = [
  'github',
  'gitlab',
  'bitbucket',
  'gitea',
  'forgejo',
  'azure-devops',
];

const PUBLIC_HOSTS: Record<string, GitHostKind> = {
  'github.com': 'github',
  'gitlab.com': 'gitlab',
  'bitbucket.org': 'bitbucket',
  'codeberg.org': 'forgejo',
  'gitea.com': 'gitea',
  'dev.azure.com': 'azure-devops',
  'ssh.dev.azure.com': 'azure-devops',
};

export interface RepoWeb {
  kind: GitHostKind;
  /** `https://host[:port]/path-of-the-repository`, no `.git`, no user info. */
  base: string;
}

const HOSTNAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;
const SEGMENT = /^[A-Za-z0-9._~-]+$/;
const SHA = /^[0-9a-f]{7,64}$/i;

function kindOf(host: string, hostWithPort: string, hosts: Record<string, string>): GitHostKind | undefined {
  const configured = hosts[hostWithPort] ?? hosts[host];
  if (configured !== undefined) {
    return GIT_HOST_KINDS.includes(configured as GitHostKind) ? (configured as GitHostKind) : undefined;
  }
  if (PUBLIC_HOSTS[host]) {
    return PUBLIC_HOSTS[host];
  }
  return host.endsWith('.visualstudio.com') ? 'azure-devops' : undefined;
}

/** Host, optional https port and repository path of a clone URL in any of its forms. */
function splitCloneUrl(url: string): { host: string; port?: string; path: string; https: boolean } | undefined {
  const u = url.trim();
  const scp = /^(?:[A-Za-z0-9._-]+@)?([A-Za-z0-9.-]+):(?!\/\/)(.+)$/.exec(u);
  if (scp && !/^[a-z+]+:\/\//i.test(u)) {
    return { host: scp[1].toLowerCase(), path: scp[2], https: false };
  }
  const m =
    /^(https?|ssh|git\+ssh|git):\/\/(?:[^@/?#]*@)?([A-Za-z0-9.-]+|\[[0-9a-f:]+\])(?::(\d{1,5}))?(\/[^?#]*)?/i.exec(u);
  if (!m) {
    return undefined;
  }
  const scheme = m[1].toLowerCase();
  const https = scheme === 'https' || scheme === 'http';
  // An ssh port says nothing about the web server's port.
  return { host: m[2].toLowerCase(), port: https ? m[3] : undefined, path: m[4] ?? '', https };
}

/** The repository's web address and host kind, or undefined when the URL or host is not understood. */
export function repoWeb(repoURL: string | undefined, hosts: Record<string, string> = {}): RepoWeb | undefined {
  if (!repoURL || repoURL.length > 2048) {
    return undefined;
  }
  const parts = splitCloneUrl(repoURL);
  if (!parts || !HOSTNAME.test(parts.host)) {
    return undefined;
  }
  const port = parts.port && parts.port !== '443' && parts.port !== '80' ? parts.port : undefined;
  const hostWithPort = port ? `${parts.host}:${port}` : parts.host;
  const kind = kindOf(parts.host, hostWithPort, hosts);
  if (!kind) {
    return undefined;
  }
  const segs = parts.path
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .split('/')
    .filter((s) => s !== '');
  if (segs.length < 2 || !segs.every((s) => SEGMENT.test(s) && s !== '.' && s !== '..')) {
    return undefined;
  }
  if (kind === 'azure-devops') {
    return azureWeb(parts.host, segs);
  }
  if (kind !== 'gitlab' && segs.length !== 2) {
    // Only GitLab nests groups; other hosts have owner/repo.
    return undefined;
  }
  return { kind, base: `https://${hostWithPort}/${segs.join('/')}` };
}

/** Azure DevOps: `dev.azure.com/org/project/_git/repo`, `org.visualstudio.com/project/_git/repo`, ssh `v3/org/project/repo`. */
function azureWeb(host: string, segs: string[]): RepoWeb | undefined {
  let org: string;
  let rest: string[];
  if (host === 'ssh.dev.azure.com' || host === 'vs-ssh.visualstudio.com') {
    if (segs[0] !== 'v3' || segs.length !== 4) {
      return undefined;
    }
    [org, ...rest] = segs.slice(1);
    return { kind: 'azure-devops', base: `https://dev.azure.com/${org}/${rest[0]}/_git/${rest[1]}` };
  }
  if (host.endsWith('.visualstudio.com')) {
    org = host.slice(0, -'.visualstudio.com'.length);
    rest = segs;
  } else {
    [org, ...rest] = segs;
  }
  const git = rest.indexOf('_git');
  if (git < 0 || git !== rest.length - 2 || rest.length > 3) {
    return undefined;
  }
  const project = git === 1 ? rest[0] : rest[rest.length - 1];
  return { kind: 'azure-devops', base: `https://dev.azure.com/${org}/${project}/_git/${rest[rest.length - 1]}` };
}

export function commitUrl(web: RepoWeb, sha: string): string | undefined {
  if (!SHA.test(sha)) {
    return undefined;
  }
  switch (web.kind) {
    case 'gitlab':
      return `${web.base}/-/commit/${sha}`;
    case 'bitbucket':
      return `${web.base}/commits/${sha}`;
    default:
      return `${web.base}/commit/${sha}`;
  }
}

export function compareUrl(web: RepoWeb, from: string, to: string): string | undefined {
  if (!SHA.test(from) || !SHA.test(to) || from === to) {
    return undefined;
  }
  switch (web.kind) {
    case 'gitlab':
      return `${web.base}/-/compare/${from}...${to}`;
    case 'bitbucket':
      return `${web.base}/branches/compare/${to}%0D${from}#diff`;
    case 'azure-devops':
      return `${web.base}/branchCompare?baseVersion=GC${from}&targetVersion=GC${to}`;
    default:
      return `${web.base}/compare/${from}...${to}`;
  }
}

/** `https://host[:port][/path]` of a configured web UI (Argo CD, Rancher), or undefined: https only, no user info. */
export function httpsBase(url: string | undefined): string | undefined {
  if (!url) {
    return undefined;
  }
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'https:') {
    return undefined;
  }
  return `https://${u.host}${u.pathname.replace(/\/+$/, '')}`;
}
