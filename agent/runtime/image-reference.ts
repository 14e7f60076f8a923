// Image references as Docker and the kubelet read them (distribution's reference grammar and
// ParseNormalizedNamed): `busybox` → `docker.io/library/busybox:latest`,
// `domainname/namespace/imagename:tag`, `repo@sha256:<64 hex>`.
//
//   reference        := name [ ":" tag ] [ "@" digest ]
//   name             := [domain '/'] path-component ['/' path-component]*
//   domain           := domain-component ['.' domain-component]* [':' port] | '[' IPv6 ']' [':' port]
//   domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
//   path-component   := /[a-z0-9]+/ [separator /[a-z0-9]+/]*,  separator := [_.] | "__" | "-"+
//   tag              := /[\w][\w.-]{0,127}/
//   digest           := /[A-Za-z][A-Za-z0-9]*([-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}/
import { RuntimeError } from './runtime-error.js';

export const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';
export const DEFAULT_TAG = 'latest';
const NAME_TOTAL_LENGTH_MAX = 255;

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const IPV6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|${IPV6})(?::[0-9]+)?`;
const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';

const REFERENCE_RE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const ANCHORED_NAME_RE = new RegExp(`^(?:(${DOMAIN})/)?(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)$`);
const IDENTIFIER_RE = /^[a-f0-9]{64}$/;

export interface ImageReference {
  /** Registry host, e.g. "docker.io" or "127.0.0.1:5000". */
  domain: string;
  /** Repository path inside the registry, e.g. "library/busybox". */
  path: string;
  /** "docker.io/library/busybox" */
  repository: string;
  /** As written; undefined when the reference has none. */
  tag?: string;
  digest?: string;
  /** Fully qualified, with the default tag when neither tag nor digest was given. */
  normalized: string;
  /** The short form Docker prints ("busybox:latest", "foo/bar:1"). */
  familiar: string;
}

/** Distribution's parse error texts, kept verbatim. */
function parseError(s: string): string {
  if (s === '') return 'repository name must have at least one component';
  if (REFERENCE_RE.test(s.toLowerCase())) return 'repository name must be lowercase';
  return 'invalid reference format';
}

function splitDockerDomain(name: string): { domain: string; remainder: string } {
  const i = name.indexOf('/');
  let domain: string;
  let remainder: string;
  const first = i < 0 ? '' : name.slice(0, i);
  if (i < 0 || (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first)) {
    domain = DEFAULT_DOMAIN;
    remainder = name;
  } else {
    domain = first;
    remainder = name.slice(i + 1);
  }
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = OFFICIAL_REPO_PREFIX + remainder;
  return { domain, remainder };
}

function validateDigest(digest: string): string | undefined {
  const [algorithm, hex] = digest.split(':', 2);
  const sizes: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };
  if (!(algorithm in sizes)) return 'unsupported digest algorithm';
  if (hex.length !== sizes[algorithm]) return 'invalid checksum digest length';
  if (!/^[a-f0-9]+$/.test(hex)) return 'invalid checksum digest format';
  return undefined;
}

/** The parse, or the error text distribution would give. */
export function tryParseImageReference(ref: string): { ref: ImageReference } | { error: string } {
  if (typeof ref !== 'string') return { error: 'invalid reference format' };
  if (IDENTIFIER_RE.test(ref)) {
    return { error: `invalid repository name (${ref}), cannot specify 64-byte hexadecimal strings` };
  }
  const { domain, remainder } = splitDockerDomain(ref);
  let remoteName = remainder;
  const at = remoteName.indexOf('@');
  if (at >= 0) remoteName = remoteName.slice(0, at);
  const colon = remoteName.indexOf(':');
  if (colon >= 0) remoteName = remoteName.slice(0, colon);
  if (remoteName.toLowerCase() !== remoteName) {
    return { error: `invalid reference format: repository name (${remoteName}) must be lowercase` };
  }
  const full = `${domain}/${remainder}`;
  const m = REFERENCE_RE.exec(full);
  if (!m) return { error: parseError(full) };
  const [, name, tag, digest] = m;
  if (name.length > NAME_TOTAL_LENGTH_MAX) {
    return { error: `repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters` };
  }
  if (digest !== undefined) {
    const bad = validateDigest(digest);
    if (bad) return { error: bad };
  }
  const nm = ANCHORED_NAME_RE.exec(name);
  if (!nm) return { error: 'invalid reference format' };
  const repository = name;
  const path = nm[2];
  const effectiveTag = tag ?? (digest === undefined ? DEFAULT_TAG : undefined);
  const suffix = (effectiveTag !== undefined ? `:${effectiveTag}` : '') + (digest !== undefined ? `@${digest}` : '');
  let familiarName = repository;
  if (domain === DEFAULT_DOMAIN) {
    familiarName = path;
    if (familiarName.startsWith(OFFICIAL_REPO_PREFIX) && !familiarName.slice(OFFICIAL_REPO_PREFIX.length).includes('/')) {
      familiarName = familiarName.slice(OFFICIAL_REPO_PREFIX.length);
    }
  }
  const out: ImageReference = {
    domain,
    path,
    repository,
    normalized: repository + suffix,
    familiar: familiarName + suffix,
  };
  if (tag !== undefined) out.tag = tag;
  if (digest !== undefined) out.digest = digest;
  return { ref: out };
}

/**
 * Parses and normalises an image reference. Throws RuntimeError InvalidImageName with the
 * kubelet's wording (`couldn't parse image reference "x": invalid reference format`).
 */
export function parseImageReference(ref: string): ImageReference {
  const r = tryParseImageReference(ref);
  if ('error' in r) throw new RuntimeError('InvalidImageName', `couldn't parse image reference "${ref}": ${r.error}`);
  return r.ref;
}

/** The kubelet's applyDefaultImageTag: `busybox` → `busybox:latest`, keeps short names short. */
export function applyDefaultImageTag(image: string): string {
  const r = parseImageReference(image);
  return r.tag === undefined && r.digest === undefined ? `${image}:${DEFAULT_TAG}` : image;
}
