import { describe, expect, it } from 'vitest';
import { bareRepoPath, parseLocalRepoUrl, parseRepoUrl } from './repos.js';

describe('local publisher names and URLs', () => {
  it('parses RepoUrlPicker values', () => {
    expect(parseRepoUrl('localhost?owner=team-a&repo=svc')).toEqual({ host: 'localhost', owner: 'team-a', repo: 'svc' });
    expect(parseRepoUrl('localhost:7007?repo=svc.git&owner=o')).toEqual({ host: 'localhost:7007', owner: 'o', repo: 'svc' });
    expect(parseRepoUrl('http://localhost:7007/team-a/svc.git')).toEqual({ host: 'localhost:7007', owner: 'team-a', repo: 'svc' });
  });

  it.each([
    ['localhost?owner=a', 'must look like'],
    ['localhost?repo=a', 'must look like'],
    ['?owner=a&repo=b', 'expected "host?owner=<owner>&repo=<repo>"'],
    ['localhost?owner=..&repo=x', 'owner ".."'],
    ['localhost?owner=a&repo=../../etc', 'repo "../../etc"'],
    ['localhost?owner=a%2Fb&repo=x', 'owner "a/b"'],
    ['localhost?owner=-x&repo=y', 'owner "-x"'],
    ['localhost?owner=a&repo=.hidden', 'repo ".hidden"'],
  ])('refuses %s', (url, message) => {
    expect(() => parseRepoUrl(url)).toThrow(message);
  });

  it('puts bare repositories at <dataDir>/repos/<owner>/<repo>.git', () => {
    expect(bareRepoPath('/data', 'o', 'r')).toBe('/data/repos/o/r.git');
  });

  it('recognises its own clone and contents URLs', () => {
    expect(parseLocalRepoUrl('http://localhost:7007/git/o/r.git')).toEqual({ owner: 'o', repo: 'r', branch: undefined, path: '' });
    expect(parseLocalRepoUrl('http://h/git/o/r/blob/main/catalog-info.yaml')).toEqual({ owner: 'o', repo: 'r', branch: 'main', path: 'catalog-info.yaml' });
    expect(parseLocalRepoUrl('http://h/git/o/r/blob/main/sub/dir/c.yaml')?.path).toBe('sub/dir/c.yaml');
    expect(parseLocalRepoUrl('https://github.com/o/r/blob/main/catalog-info.yaml')).toBeUndefined();
    expect(parseLocalRepoUrl('not a url')).toBeUndefined();
  });
});
