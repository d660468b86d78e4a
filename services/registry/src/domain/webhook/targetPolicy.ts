import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may point (server-side request forgery): https only unless the network allows http;
 * loopback and private ranges only where the network's configuration allows them (the demo allows
 * loopback); link-local (which holds the cloud metadata endpoints) and the metadata names never.
 * Pure: the application checks the URL at subscription and every resolved address at delivery.
 */
export interface TargetPolicy {
  allowHttp: boolean;
  allowLoopback: boolean;
  allowPrivate: boolean;
}

export const STRICT_TARGETS: TargetPolicy = { allowHttp: false, allowLoopback: false, allowPrivate: false };

const list = (entries: [string, number, 'ipv4' | 'ipv6'][]): BlockList => {
  const b = new BlockList();
  for (const [net, prefix, family] of entries) b.addSubnet(net, prefix, family);
  return b;
};

const LOOPBACK = list([
  ['127.0.0.0', 8, 'ipv4'],
  ['::1', 128, 'ipv6'],
]);
const PRIVATE = list([
  ['10.0.0.0', 8, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['fc00::', 7, 'ipv6'],
]);
/** Never a webhook target, whatever the configuration. */
const NEVER = list([
  ['0.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['224.0.0.0', 3, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
  // AWS's IPv6 metadata endpoint.
  ['fd00:ec2::', 32, 'ipv6'],
]);
const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data']);

/** An IPv4 address written as IPv6 (::ffff:a.b.c.d) is judged as the IPv4 address it is. */
const unmap = (address: string): { address: string; family: 'ipv4' | 'ipv6' } => {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, family: 'ipv4' };
  return { address, family: isIP(address) === 6 ? 'ipv6' : 'ipv4' };
};

/** Why an address may not be reached, or null when it may. */
export function refuseAddress(raw: string, policy: TargetPolicy): string | null {
  const bare = raw.replace(/^\[|\]$/g, '');
  if (isIP(bare) === 0) return `${raw} is not an IP address`;
  const { address, family } = unmap(bare);
  if (NEVER.check(address, family)) return `${address} is link-local, metadata or otherwise unroutable: never allowed`;
  if (LOOPBACK.check(address, family) && !policy.allowLoopback) return `${address} is a loopback address`;
  if (PRIVATE.check(address, family) && !policy.allowPrivate) return `${address} is a private address`;
  return null;
}

/** Why a subscription URL is refused, or null. Hostnames are checked again once resolved. */
export function refuseUrl(raw: string, policy: TargetPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp))
    return policy.allowHttp ? 'must be an http or https URL' : 'must be an https URL';
  if (url.username || url.password) return 'must not carry credentials';
  if (url.hash) return 'must not have a fragment';
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (METADATA_NAMES.has(host)) return `${host} is a cloud metadata endpoint: never allowed`;
  if (isIP(host.replace(/^\[|\]$/g, '')) !== 0) return refuseAddress(host, policy);
  if ((host === 'localhost' || host.endsWith('.localhost')) && !policy.allowLoopback)
    return `${host} is a loopback address`;
  return null;
}
