import { describe, expect, it } from 'vitest';
import { checkHost, matchAllowList, parseAllowList, restrictedRange } from './host-policy.js';

describe('allowlist', () => {
  const entries = parseAllowList(['example.com', '*.corp.example', 'api.test:8443', '[::1]:9000', 'Upper.Example.']);

  it.each([
    ['https://example.com/x', 'exact'],
    ['https://EXAMPLE.com/x', 'exact'],
    ['https://example.com:8443/x', undefined], // port not listed
    ['https://www.example.com/x', undefined], // no wildcard for example.com
    ['https://a.corp.example/x', 'wildcard'],
    ['https://a.b.corp.example/x', 'wildcard'],
    ['https://corp.example/x', undefined], // wildcard does not match the apex (Backstage endsWith('.corp.example'))
    ['https://api.test:8443/x', 'exact'],
    ['https://api.test/x', undefined],
    ['http://[::1]:9000/x', 'exact'],
    ['https://upper.example/x', 'exact'],
  ])('%s → %s', (url, expected) => {
    expect(matchAllowList(new URL(url), entries)).toBe(expected);
  });
});

describe('denied address ranges', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fd12::1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['172.32.0.1', undefined],
    ['8.8.8.8', undefined],
    ['2001:4860::8888', undefined],
  ])('%s → %s', (ip, expected) => {
    expect(restrictedRange(ip)).toBe(expected);
  });

  it('denies a private IP allowed only by a wildcard, permits it when listed exactly', async () => {
    await expect(checkHost(new URL('http://10.0.0.5/'), parseAllowList(['10.0.0.5']))).resolves.toEqual({
      address: '10.0.0.5',
      family: 4,
    });
    await expect(checkHost(new URL('http://169.254.169.254/'), parseAllowList([]))).rejects.toMatchObject({
      message: 'host 169.254.169.254 is not in catalog.reading.allow',
    });
  });
});
