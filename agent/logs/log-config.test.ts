import { describe, expect, it } from 'vitest';
import { logConfigsOf, parseTags } from './log-config.js';

const env = (pairs: Record<string, string>) => Object.entries(pairs).map(([name, value]) => ({ name, value }));

describe('logConfigsOf', () => {
  it('reads stdout and file logstores with their tags, as the log-pilot convention writes them', () => {
    const { configs, problems } = logConfigsOf(
      env({
        PATH: '/bin',
        'aliyun_logs_report-stdout': 'stdout',
        'aliyun_logs_report-stdout_tags': 'app=report, env=prod',
        'aliyun_logs_report-files': '/var/log/report/*.log, /tmp/x.log',
      }),
    );
    expect(problems).toEqual([]);
    expect(configs).toEqual([
      { logstore: 'report-stdout', target: { kind: 'stdout' }, tags: { app: 'report', env: 'prod' } },
      { logstore: 'report-files', target: { kind: 'files', patterns: ['/var/log/report/*.log', '/tmp/x.log'] }, tags: {} },
    ]);
  });

  it('reads <name>_tags as a logstore when no logstore <name> is configured', () => {
    expect(logConfigsOf(env({ 'aliyun_logs_x-tags': 'stdout' })).configs.map((c) => c.logstore)).toEqual(['x-tags']);
  });

  it('reports names that are no DNS label and values that are neither stdout nor absolute paths', () => {
    const { configs, problems } = logConfigsOf(env({ aliyun_logs_My_Store: 'stdout', aliyun_logs_rel: 'logs/*.log', aliyun_logs_: 'stdout' }));
    expect(configs).toEqual([]);
    expect(problems.map((p) => p.variable)).toEqual(['aliyun_logs_My_Store', 'aliyun_logs_rel']);
  });

  it('parses tags leniently', () => {
    expect(parseTags('a=1,b=x=y, c ,,d=')).toEqual({ a: '1', b: 'x=y', c: '', d: '' });
  });
});
