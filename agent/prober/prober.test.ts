import { describe, expect, it } from 'vitest';
import type { Container } from '../../api/index.js';
import { FakeClock } from '../../machinery/index.js';
import { FakeRuntime } from '../runtime/testing/index.js';
import { FakeNetwork } from '../testing/harness.js';
import { httpRequestFor, resolvePort, runProbe } from './prober.js';

const container: Container = { name: 'c', ports: [{ name: 'http', containerPort: 8080 }, { name: 'tls', containerPort: 8443 }] };

async function execTarget() {
  const rt = new FakeRuntime({ clock: new FakeClock(), autoAdvance: false });
  rt.addImage('x:1', { config: { cmd: ['/app'] } });
  rt.program(['/app'], (p) => p.forever());
  const sb = await rt.runPodSandbox({ metadata: { name: 'p', namespace: 'ns', uid: 'u', attempt: 0 }, hostname: 'p' });
  const id = await rt.createContainer(sb, { metadata: { name: 'c', attempt: 0 }, image: 'x:1' });
  await rt.startContainer(id);
  return { rt, id };
}

describe('probes', () => {
  it('resolves named ports and builds the request (HTTPS, path, headers, host defaults to the pod IP)', () => {
    expect(resolvePort('tls', container)).toBe(8443);
    expect(resolvePort(9000, container)).toBe(9000);
    expect(() => resolvePort('nope', container)).toThrow(/couldn't find port: nope/);
    expect(httpRequestFor({ port: 'tls', path: 'healthz?x=1', scheme: 'HTTPS', httpHeaders: [{ name: 'Host', value: 'example.com' }] }, container, '10.0.0.2', 1000)).toEqual({
      scheme: 'HTTPS',
      host: '10.0.0.2',
      port: 8443,
      path: '/healthz?x=1',
      headers: [{ name: 'Host', value: 'example.com' }],
      timeoutMs: 1000,
    });
  });

  it.each([
    [200, 'success', 'ok'],
    [204, 'success', 'ok'],
    [302, 'warning', 'Probe terminated redirects, Response body: ok'],
    [400, 'failure', 'HTTP probe failed with statuscode: 400'],
    [503, 'failure', 'HTTP probe failed with statuscode: 503'],
  ])('httpGet status %i is %s', async (code, result, output) => {
    const net = new FakeNetwork();
    net.serveHttp(8080, () => ({ statusCode: code, body: 'ok' }));
    const out = await runProbe({ httpGet: { port: 'http', path: '/' } }, { container, containerId: 'x', podIP: '10.0.0.2', timeoutMs: 1000 }, new FakeRuntime(), net);
    expect(out).toEqual({ result, output });
  });

  it('httpGet and tcpSocket report connection errors as failures with the dial error', async () => {
    const net = new FakeNetwork();
    const target = { container, containerId: 'x', podIP: '10.0.0.2', timeoutMs: 1000 };
    expect(await runProbe({ httpGet: { port: 8080, path: '/h' } }, target, new FakeRuntime(), net)).toEqual({
      result: 'failure',
      output: 'Get "http://10.0.0.2:8080/h": dial tcp 10.0.0.2:8080: connect: connection refused',
    });
    expect(await runProbe({ tcpSocket: { port: 'http' } }, target, new FakeRuntime(), net)).toEqual({ result: 'failure', output: 'dial tcp 10.0.0.2:8080: connect: connection refused' });
    net.listenTcp(8080);
    expect(await runProbe({ tcpSocket: { port: 'http' } }, target, new FakeRuntime(), net)).toEqual({ result: 'success', output: '' });
  });

  it('exec: exit 0 succeeds, another code fails with the output, a timeout fails', async () => {
    const { rt, id } = await execTarget();
    rt.program(['ok'], (p) => p.out('fine'));
    rt.program(['bad'], (p) => {
      p.err('broken');
      p.exit(3);
    });
    rt.program(['slow'], (p) => p.sleep(5_000));
    const target = { container, containerId: id, podIP: '', timeoutMs: 1000 };
    expect(await runProbe({ exec: { command: ['ok'] } }, target, rt, new FakeNetwork())).toEqual({ result: 'success', output: 'fine\n' });
    expect(await runProbe({ exec: { command: ['bad'] } }, target, rt, new FakeNetwork())).toEqual({ result: 'failure', output: 'broken\n' });
    const slow = runProbe({ exec: { command: ['slow'] } }, target, rt, new FakeNetwork());
    await rt.advance(1_000);
    expect(await slow).toEqual({ result: 'failure', output: 'command "slow" timed out' });
  });
});
