// IP address checks with k8s.io/apimachinery/pkg/util/validation's messages (IsValidIP,
// IsValidIPv4Address) and pkg/apis/core/validation's ValidateNonSpecialIP, plus the few
// address sums the service IP allocator needs (IPv4 as 32-bit numbers).
import { isIPv4, isIPv6 } from 'node:net';
import { type FieldError, type FieldPath, fieldErrors } from './field-error.js';

type PathLike = FieldPath | string;

export const IP_FAMILY_IPV4 = 'IPv4';
export const IP_FAMILY_IPV6 = 'IPv6';

/** netutils.ParseIPSloppy's acceptance: dotted quads (leading zeros allowed) or IPv6. */
export function parseIPFamily(value: string): 'IPv4' | 'IPv6' | undefined {
  if (isIPv6(value)) return 'IPv6';
  if (isIPv4(value)) return 'IPv4';
  // Go's sloppy parser accepts leading zeros as decimal (010.1.1.1 = 10.1.1.1).
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(value) && value.split('.').every((o) => Number(o) <= 255)) return 'IPv4';
  return undefined;
}

/** IsValidIP: "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)". */
export function validateIP(path: PathLike, value: string): FieldError[] {
  return parseIPFamily(value) ? [] : [fieldErrors.invalid(path, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')];
}

/** IsValidIPv4Address. */
export function validateIPv4(path: PathLike, value: string): FieldError[] {
  return parseIPFamily(value) === 'IPv4' ? [] : [fieldErrors.invalid(path, value, 'must be a valid IPv4 address')];
}

/** IsValidIPv6Address. */
export function validateIPv6(path: PathLike, value: string): FieldError[] {
  return parseIPFamily(value) === 'IPv6' ? [] : [fieldErrors.invalid(path, value, 'must be a valid IPv6 address')];
}

/** IPv4 dotted quad → unsigned 32-bit number (leading zeros read as decimal, as Go's sloppy parser). */
export function ipv4ToNumber(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

export function numberToIPv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

function ipv6Words(ip: string): number[] {
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const parse = (s: string | undefined) => (s ? s.split(':') : []).flatMap((w) => (w.includes('.') ? [Math.floor(ipv4ToNumber(w) / 65536), ipv4ToNumber(w) % 65536] : [parseInt(w, 16)]));
  const h = parse(head);
  const t = parse(tail);
  return tail === undefined ? h : [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
}

/** ValidateNonSpecialIP: not unspecified, loopback, link-local or link-local multicast. */
export function validateNonSpecialIP(value: string, path: PathLike): FieldError[] {
  const family = parseIPFamily(value);
  if (!family) return [fieldErrors.invalid(path, value, 'must be a valid IP address')];
  let unspecified: boolean, loopback: boolean, linkLocal: boolean, linkLocalMulticast: boolean;
  if (family === 'IPv4') {
    const n = ipv4ToNumber(value);
    unspecified = n === 0;
    loopback = Math.floor(n / 2 ** 24) === 127;
    linkLocal = Math.floor(n / 2 ** 16) === 0xa9fe;
    linkLocalMulticast = Math.floor(n / 2 ** 8) === 0xe00000;
  } else {
    const w = ipv6Words(value);
    unspecified = w.every((x) => x === 0);
    loopback = w.slice(0, 7).every((x) => x === 0) && w[7] === 1;
    linkLocal = (w[0]! & 0xffc0) === 0xfe80;
    linkLocalMulticast = (w[0]! & 0xff0f) === 0xff02;
  }
  const errs: FieldError[] = [];
  if (unspecified) errs.push(fieldErrors.invalid(path, value, `may not be unspecified (${value})`));
  if (loopback) errs.push(fieldErrors.invalid(path, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if (linkLocal) errs.push(fieldErrors.invalid(path, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  if (linkLocalMulticast) errs.push(fieldErrors.invalid(path, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return errs;
}
