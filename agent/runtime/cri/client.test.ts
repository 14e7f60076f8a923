// The CRI client over a real gRPC round trip: a small RuntimeService (grpc-js's server with the
// committed api.proto) on a unix socket in a temp dir answers as a runtime would, so the
// client's socket dialing, deadlines and status-to-RuntimeError mapping, and CriRuntime.info's
// reading of Version and Status, are checked without containerd (cri-runtime.docker.test.ts
// runs against the real one).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRuntimeError, type RuntimeError } from '../runtime-error.js';
import { connectCri, criProto } from './client.js';
import { CriRuntime } from './cri-runtime.js';

type Handler = (call: grpc.ServerUnaryCall<Record<string, unknown>, unknown>, callback: grpc.sendUnaryData<unknown>) => void;

let dir: string;
let server: grpc.Server;
let endpoint: string;
let runtimeReady = true;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jobyard-cri-client-'));
  endpoint = `unix://${join(dir, 'cri.sock')}`;
  server = new grpc.Server();
  const handlers: Record<string, Handler> = {
    Version: (_call, cb) => cb(null, { version: '0.1.0', runtime_name: 'fakecri', runtime_version: '9.9.9', runtime_api_version: 'v1' }),
    Status: (_call, cb) =>
      cb(null, {
        status: {
          conditions: [
            { type: 'RuntimeReady', status: runtimeReady, reason: runtimeReady ? '' : 'ShimsDown', message: runtimeReady ? '' : 'no shim answers' },
            { type: 'NetworkReady', status: true, reason: '', message: '' },
          ],
        },
        info: { config: JSON.stringify({ containerd: { snapshotter: 'overlayfs', runtimes: { runc: { options: { SystemdCgroup: false } } } } }) },
      }),
    ContainerStatus: (call, cb) => cb({ code: grpc.status.NOT_FOUND, details: `an error occurred when try to find container "${String(call.request.container_id)}": not found` }),
    // Answers after 2 s: longer than the test's deadline.
    ListContainers: (_call, cb) => void setTimeout(() => cb(null, { containers: [] }), 2000),
    StartContainer: (_call, cb) => cb({ code: grpc.status.UNKNOWN, details: 'failed to create containerd task: exec: "/no/such": not found' }),
  };
  const impl = new Proxy(handlers, {
    get: (target, name: string) => target[name] ?? ((_call: unknown, cb: grpc.sendUnaryData<unknown>) => cb({ code: grpc.status.UNIMPLEMENTED, details: `${name} not here` })),
  });
  server.addService(criProto().runtime.v1.RuntimeService.service, impl as unknown as grpc.UntypedServiceImplementation);
  await new Promise<void>((resolve, reject) => server.bindAsync(endpoint, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve())));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

async function failure(p: Promise<unknown>): Promise<RuntimeError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isRuntimeError(err)) throw new Error(`expected a RuntimeError, got ${String(err)}`);
  return err;
}

describe('connectCri', () => {
  it('calls the runtime over its unix socket (unix:// or a bare path) and maps gRPC codes to the kubelet reasons', async () => {
    for (const target of [endpoint, endpoint.slice('unix://'.length)]) {
      const cri = connectCri(target);
      try {
        expect(await cri.runtime.Version({ version: '' })).toMatchObject({ runtime_name: 'fakecri', runtime_api_version: 'v1' });
        const notFound = await failure(cri.runtime.ContainerStatus({ container_id: 'nope' }));
        expect(notFound.reason).toBe('NotFound');
        expect(notFound.message).toBe('rpc error: code = NotFound desc = an error occurred when try to find container "nope": not found');
        const startFailed = await failure(cri.runtime.StartContainer({ container_id: 'x' }, { reason: 'RunContainerError' }));
        expect(startFailed.reason).toBe('RunContainerError');
        expect(startFailed.message).toContain('rpc error: code = Unknown desc = failed to create containerd task');
      } finally {
        cri.close();
      }
    }
  });

  it('gives up at the deadline with DeadlineExceeded, and counts the call while it runs', async () => {
    const cri = connectCri(endpoint);
    try {
      const started = Date.now();
      const call = failure(cri.runtime.ListContainers({}, { timeoutMs: 200 }));
      await new Promise((r) => setImmediate(r));
      expect(cri.operations.inFlight().map((op) => op.name)).toEqual(['RuntimeService/ListContainers']);
      const err = await call;
      expect(err.reason).toBe('DeadlineExceeded');
      expect(Date.now() - started).toBeLessThan(1500);
      expect(cri.operations.inFlight()).toEqual([]);
    } finally {
      cri.close();
    }
  });

  it('says RuntimeUnavailable when nothing listens on the socket', async () => {
    const cri = connectCri(join(dir, 'absent.sock'));
    try {
      expect((await failure(cri.runtime.Version({}))).reason).toBe('RuntimeUnavailable');
    } finally {
      cri.close();
    }
  });
});

describe('CriRuntime.info', () => {
  it('reports the runtime from Version and Status, the host facts beside', async () => {
    runtimeReady = true;
    const runtime = new CriRuntime({ endpoint });
    try {
      expect(await runtime.info()).toMatchObject({ runtimeName: 'fakecri', runtimeVersion: '9.9.9', apiVersion: 'v1', cgroupDriver: 'cgroupfs', storageDriver: 'overlayfs' });
    } finally {
      runtime.close();
    }
  });

  it('fails with RuntimeUnavailable while the runtime says it is not ready (the node then goes NotReady)', async () => {
    runtimeReady = false;
    const runtime = new CriRuntime({ endpoint });
    try {
      const err = await failure(runtime.info());
      expect(err.reason).toBe('RuntimeUnavailable');
      expect(err.message).toBe('container runtime not ready: RuntimeReady=false reason:ShimsDown message:no shim answers');
    } finally {
      runtimeReady = true;
      runtime.close();
    }
  });
});
