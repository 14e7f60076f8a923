// Registry credentials from a pod's imagePullSecrets, matched to an image as the kubelet's
// credentialprovider keyring does: secrets of type kubernetes.io/dockerconfigjson
// (`.dockerconfigjson`: {"auths": {...}}) and kubernetes.io/dockercfg (`.dockercfg`: {...});
// keys are registry hosts with optional port and path, `*` globs per host label
// (`*.example.com`); the most specific key is tried first; Docker Hub credentials
// (`https://index.docker.io/v1/`) apply to Docker Hub images.
import type { Secret } from '../../api/index.js';
import type { RegistryAuth } from './container-runtime.js';
import { tryParseImageReference } from './image-reference.js';
import { segmentRegExp } from './path-glob.js';
import { RuntimeError } from './runtime-error.js';

export const SECRET_TYPE_DOCKER_CONFIG_JSON = 'kubernetes.io/dockerconfigjson';
export const SECRET_TYPE_DOCKERCFG = 'kubernetes.io/dockercfg';
export const DOCKER_CONFIG_JSON_KEY = '.dockerconfigjson';
export const DOCKERCFG_KEY = '.dockercfg';

const DEFAULT_REGISTRY_HOST = 'index.docker.io';

/** One entry of a docker config file. */
export interface DockerConfigEntry {
  username?: string;
  password?: string;
  auth?: string;
  email?: string;
  identitytoken?: string;
  registrytoken?: string;
}

interface ParsedURL {
  host: string;
  port: string;
  path: string;
}

/** Splits "https://host:port/path" (scheme optional) the way the kubelet's ParseSchemelessURL does. */
function parseSchemeless(s: string): ParsedURL | undefined {
  let rest = s.replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//, '');
  const slash = rest.indexOf('/');
  const hostPort = slash < 0 ? rest : rest.slice(0, slash);
  rest = slash < 0 ? '' : rest.slice(slash);
  if (hostPort === '') return undefined;
  let host = hostPort;
  let port = '';
  const m = /^(.*):([0-9]+)$/.exec(hostPort);
  if (m && !hostPort.endsWith(']')) {
    host = m[1];
    port = m[2];
  }
  return { host: host.toLowerCase(), port, path: rest };
}

/** URLsMatch: same number of host labels each matching its glob, same port, path prefix. */
function urlsMatch(glob: ParsedURL, target: ParsedURL): boolean {
  if (glob.port !== target.port) return false;
  const g = glob.host.split('.');
  const t = target.host.split('.');
  if (g.length !== t.length) return false;
  for (let i = 0; i < g.length; i++) if (!segmentRegExp(g[i]).test(t[i])) return false;
  return target.path.startsWith(glob.path);
}

/** Whether an image is pulled from Docker Hub. */
function isDefaultRegistryMatch(image: string): boolean {
  const parts = image.split('/');
  if (parts[0] === '') return false;
  if (parts.length === 1) return true;
  if (parts[0] === 'docker.io' || parts[0] === DEFAULT_REGISTRY_HOST) return true;
  return !/[.:]/.test(parts[0]);
}

/** A docker config "auth" value, base64("user:password"), split; undefined when it holds no colon. */
export function decodeBasicAuth(auth: string): { username: string; password: string } | undefined {
  const decoded = Buffer.from(auth, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i > 0 ? { username: decoded.slice(0, i), password: decoded.slice(i + 1) } : undefined;
}

function toAuth(entry: DockerConfigEntry, serverAddress: string): RegistryAuth {
  const auth: RegistryAuth = { serverAddress };
  let { username, password } = entry;
  if ((username === undefined || username === '') && entry.auth) {
    const basic = decodeBasicAuth(entry.auth);
    if (basic) ({ username, password } = basic);
  }
  if (username !== undefined) auth.username = username;
  if (password !== undefined) auth.password = password;
  if (entry.identitytoken) auth.identityToken = entry.identitytoken;
  if (entry.registrytoken) auth.registryToken = entry.registrytoken;
  return auth;
}

/** Credentials indexed by registry location. */
export class DockerKeyring {
  private readonly index: string[] = [];
  private readonly creds = new Map<string, RegistryAuth[]>();

  /** Adds every entry of a docker config (the `auths` map of config.json, or a .dockercfg). */
  add(config: Record<string, DockerConfigEntry>): void {
    for (const [loc, entry] of Object.entries(config)) {
      const parsed = parseSchemeless(loc);
      if (!parsed) continue;
      let path = parsed.path;
      // "https://index.docker.io/v1/" names Docker Hub itself, not a path in it.
      if (path.startsWith('/v1/') || path.startsWith('/v2/')) path = path.slice(3);
      const host = parsed.port ? `${parsed.host}:${parsed.port}` : parsed.host;
      const key = path.length > 0 && path !== '/' ? host + path : host;
      const list = this.creds.get(key) ?? [];
      list.push(toAuth(entry, loc));
      if (!this.creds.has(key)) this.index.push(key);
      this.creds.set(key, list);
    }
    // Reverse order: longer keys before their prefixes, literal labels before `*` (ASCII 42).
    this.index.sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  }

  /** Credentials to try, most specific first, for pulling `image` (any reference form). */
  lookup(image: string): RegistryAuth[] {
    const parsed = tryParseImageReference(image);
    const repository = 'ref' in parsed ? parsed.ref.repository : image;
    const target = parseSchemeless(repository);
    const out: RegistryAuth[] = [];
    if (target) {
      for (const key of this.index) {
        const glob = parseSchemeless(key);
        if (glob && urlsMatch(glob, target)) out.push(...(this.creds.get(key) ?? []));
      }
    }
    if (out.length > 0) return out;
    const hub = this.creds.get(DEFAULT_REGISTRY_HOST);
    if (hub && isDefaultRegistryMatch(repository)) return [...hub];
    return [];
  }

  /** A keyring from a pod's pull secrets; other secret types are ignored as the kubelet does. */
  static fromSecrets(secrets: readonly Secret[]): DockerKeyring {
    const keyring = new DockerKeyring();
    for (const secret of secrets) {
      const name = secret.metadata?.name ?? '';
      if (secret.type === SECRET_TYPE_DOCKER_CONFIG_JSON) {
        const raw = secretBytes(secret, DOCKER_CONFIG_JSON_KEY);
        if (!raw) continue;
        const parsed = parseJSON(raw, name) as { auths?: Record<string, DockerConfigEntry> };
        keyring.add(parsed.auths ?? {});
      } else if (secret.type === SECRET_TYPE_DOCKERCFG) {
        const raw = secretBytes(secret, DOCKERCFG_KEY);
        if (!raw) continue;
        keyring.add(parseJSON(raw, name) as Record<string, DockerConfigEntry>);
      }
    }
    return keyring;
  }
}

function secretBytes(secret: Secret, key: string): string | undefined {
  const s = secret.stringData?.[key];
  if (s !== undefined) return s;
  const d = secret.data?.[key];
  return d === undefined || d === '' ? undefined : Buffer.from(d, 'base64').toString('utf8');
}

function parseJSON(raw: string, secretName: string): unknown {
  try {
    const v: unknown = JSON.parse(raw);
    if (v === null || typeof v !== 'object') throw new Error('not an object');
    return v;
  } catch (err) {
    // Never echo the secret's contents.
    throw new RuntimeError('ErrImagePull', `invalid docker config in image pull secret "${secretName}"`, { cause: err instanceof Error ? new Error(err.name) : undefined });
  }
}
