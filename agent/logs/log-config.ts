// Log collection as the console's wizard writes it (docs/product.md#log-collection: Alibaba
// Cloud's log-pilot convention), read from a container's environment:
//
//   aliyun_logs_<logstore>=stdout              the container's stdout and stderr
//   aliyun_logs_<logstore>=/var/log/app/*.log  files inside the container (wildcards per
//                                              path segment, `**` for any directories);
//                                              several paths may be separated by commas
//   aliyun_logs_<logstore>_tags=k1=v1,k2=v2    tags attached to every line of that logstore
//
// A variable ending in `_tags` is the tags of the logstore named before it when that
// logstore is configured too (as the console reads it); otherwise it names a logstore.
import { isDNS1123Label } from '../../machinery/index.js';
import type { KeyValue } from '../runtime/index.js';

export const LOG_ENV_PREFIX = 'aliyun_logs_';
export const LOG_TAGS_SUFFIX = '_tags';

export type LogTarget = { kind: 'stdout' } | { kind: 'files'; patterns: string[] };

/** One logstore a container feeds. */
export interface LogConfig {
  logstore: string;
  target: LogTarget;
  tags: Record<string, string>;
}

export interface LogConfigProblem {
  variable: string;
  message: string;
}

/** `k1=v1,k2=v2` as tags (a pair without `=` is a tag with an empty value). */
export function parseTags(text: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const p = pair.trim();
    if (!p) continue;
    const i = p.indexOf('=');
    if (i < 0) tags[p] = '';
    else tags[p.slice(0, i).trim()] = p.slice(i + 1).trim();
  }
  return tags;
}

/** The logstores a container's environment configures, and what is wrong with the rest. */
export function logConfigsOf(env: readonly KeyValue[]): { configs: LogConfig[]; problems: LogConfigProblem[] } {
  const vars = env.filter((e) => e.name.startsWith(LOG_ENV_PREFIX) && e.name.length > LOG_ENV_PREFIX.length);
  const names = new Set(vars.map((e) => e.name));
  const isTags = (name: string) => name.endsWith(LOG_TAGS_SUFFIX) && names.has(name.slice(0, -LOG_TAGS_SUFFIX.length));
  const configs: LogConfig[] = [];
  const problems: LogConfigProblem[] = [];
  for (const e of vars) {
    if (isTags(e.name)) continue;
    const logstore = e.name.slice(LOG_ENV_PREFIX.length);
    const bad = isDNS1123Label(logstore);
    if (bad.length) {
      problems.push({ variable: e.name, message: `logstore name "${logstore}" is not valid: ${bad[0]}` });
      continue;
    }
    const value = e.value.trim();
    let target: LogTarget;
    if (value === 'stdout') target = { kind: 'stdout' };
    else {
      const patterns = value
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean);
      const relative = patterns.find((p) => !p.startsWith('/'));
      if (!patterns.length || relative !== undefined) {
        problems.push({ variable: e.name, message: `"${e.value}" is neither stdout nor absolute file paths` });
        continue;
      }
      target = { kind: 'files', patterns };
    }
    const tagVar = env.find((t) => t.name === `${e.name}${LOG_TAGS_SUFFIX}`);
    configs.push({ logstore, target, tags: tagVar ? parseTags(tagVar.value) : {} });
  }
  return { configs, problems };
}
