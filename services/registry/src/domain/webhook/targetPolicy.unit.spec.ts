import { describe, expect, it } from 'vitest';
import { refuseAddress, refuseUrl, STRICT_TARGETS } from './targetPolicy.js';

const demo = { allowHttp: true, allowLoopback: true, allowPrivate: false };
const everything = { allowHttp: true, allowLoopback: true, allowPrivate: true };

describe('webhook target policy', () => {
  it('accepts a public https URL and public addresses', () => {
    expect(refuseUrl('https://partner.example/hooks', STRICT_TARGETS)).toBeNull();
    expect(refuseAddress('93.184.216.34', STRICT_TARGETS)).toBeNull();
    expect(refuseAddress('2606:2800:220:1::1', STRICT_TARGETS)).toBeNull();
  });
  it('refuses http unless allowed, and URLs with credentials', () => {
    expect(refuseUrl('http://partner.example/', STRICT_TARGETS)).toMatch(/https/);
    expect(refuseUrl('http://partner.example/', demo)).toBeNull();
    expect(refuseUrl('ftp://partner.example/', demo)).toMatch(/http or https/);
    expect(refuseUrl('https://u:p@partner.example/', STRICT_TARGETS)).toMatch(/credentials/);
  });
  it('loopback only where allowed, private only where allowed', () => {
    expect(refuseAddress('127.0.0.1', STRICT_TARGETS)).toMatch(/loopback/);
    expect(refuseAddress('::1', STRICT_TARGETS)).toMatch(/loopback/);
    expect(refuseUrl('https://localhost/', STRICT_TARGETS)).toMatch(/loopback/);
    expect(refuseAddress('127.0.0.1', demo)).toBeNull();
    for (const a of ['10.1.2.3', '172.20.0.1', '192.168.1.1', 'fd12::1', '::ffff:10.0.0.1'])
      expect(refuseAddress(a, demo), a).toMatch(/private/);
    expect(refuseAddress('10.1.2.3', everything)).toBeNull();
  });
  it('link-local, metadata and unspecified addresses never, whatever the configuration', () => {
    for (const a of ['169.254.169.254', 'fe80::1', '0.0.0.0', '::', 'fd00:ec2::254', '::ffff:169.254.169.254'])
      expect(refuseAddress(a, everything), a).toMatch(/never/);
    expect(refuseUrl('http://metadata.google.internal/computeMetadata', everything)).toMatch(/never/);
    expect(refuseUrl('http://[fe80::1]/', everything)).toMatch(/never/);
  });
});
