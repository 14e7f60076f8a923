// The in-process transport (server/handlers/in-process.ts, ClientConfig.transport): the clients
// of `jobyard server` reach its app without a socket, through the same routes and hooks: the
// front door's token check, validation, conflicts, durability (group commit) and watches that
// stream event by event and stop on the server when the client closes them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigMap, KubeObject, WatchEvent } from '../../api/index.js';
import { RestClientset } from '../../client/index.js';
import { FakeClock, isConflict, isInvalid, StatusError } from '../../machinery/index.js';
import { buildApiServer } from '../../server/app.js';
import type { InProcessTransport } from '../../api/in-process.js';
import { SchemaCodec } from '../../server/registry/codec.js';
import { GenericRegistry } from '../../server/registry/generic-registry.js';
import { allResources } from '../../server/registry/index.js';
import { Authenticator } from '../../server/serving/auth.js';
import { SqliteObjectStore } from '../../server/storage/index.js';

const TOKEN = 'in-process-test-token';
let dataDir: string;
let store: SqliteObjectStore;
let inProcess: InProcessTransport;
let close: () => Promise<void>;
/** Watches open in the store right now. */
let openWatches = 0;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'jobyard-in-process-'));
  store = new SqliteObjectStore({ path: join(dataDir, 'state.db'), groupCommit: true });
  const watch = store.watch.bind(store);
  store.watch = (...args) => {
    const stop = watch(...args);
    openWatches++;
    let stopped = false;
    return () => {
      if (!stopped) openWatches--;
      stopped = true;
      stop();
    };
  };
  const byName = new Map(allResources.map((d) => [`${d.names.group}/${d.names.resource}`, d]));
  const registry = new GenericRegistry({ store, clock: new FakeClock(new Date('2026-03-01T10:00:00Z')), codec: new SchemaCodec(), namespaces: byName.get('/namespaces') });
  registry.create(byName.get('/namespaces')!, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } as KubeObject);
  const built = await buildApiServer({
    registry,
    resources: allResources,
    clock: new FakeClock(new Date('2026-03-01T10:00:00Z')),
    authenticator: new Authenticator(TOKEN),
    version: { major: '1', minor: '32', gitVersion: 'v1.32.0', gitCommit: '', gitTreeState: 'clean', buildDate: '', goVersion: '', compiler: '', platform: '' },
    serverAddress: '127.0.0.1:0',
  });
  inProcess = built.inProcess;
  close = async () => {
    await built.app.close();
    store.close();
  };
});

afterAll(async () => {
  await close();
  rmSync(dataDir, { recursive: true, force: true });
});

const clientset = (token = TOKEN) => new RestClientset({ server: 'https://127.0.0.1:1', token, transport: inProcess });
const cm = (name: string, data: Record<string, string> = { k: 'v' }): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

describe('in-process transport', () => {
  it('refuses a wrong token or none with 401, as the network listener does', async () => {
    for (const token of ['wrong', '']) {
      const err = await clientset(token).configmaps.namespace('default').list().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StatusError);
      expect((err as StatusError).status.code).toBe(401);
    }
  });

  it('creates, reads and updates through the registry: 422 with field paths, 409 on a stale resourceVersion', async () => {
    const cms = clientset().configmaps.namespace('default');
    const made = await cms.create(cm('one'));
    expect(made.metadata.resourceVersion).toMatch(/^[0-9]+$/);
    // What the answer says is on disk: another connection reads it.
    expect(store.get('configmaps', 'default', 'one')?.metadata.uid).toBe(made.metadata.uid);
    expect((await cms.get('one')).data).toEqual({ k: 'v' });
    const bad = await cms.create(cm('Not_A_Name')).catch((e: unknown) => e);
    expect(isInvalid(bad)).toBe(true);
    expect((bad as StatusError).status.details?.causes?.[0]?.field).toBe('metadata.name');
    await cms.update({ ...made, data: { k: 'w' } });
    const stale = await cms.update({ ...made, data: { k: 'x' } }).catch((e: unknown) => e);
    expect(isConflict(stale)).toBe(true);
  });

  it('streams a watch event by event, in order, and stops it on the server when the client closes it', async () => {
    const cms = clientset().configmaps.namespace('default');
    const from = (await cms.list()).metadata.resourceVersion;
    const before = openWatches;
    const controller = new AbortController();
    const seen: WatchEvent<ConfigMap>[] = [];
    const watching = (async () => {
      for await (const event of cms.watch({ resourceVersion: from, signal: controller.signal })) {
        seen.push(event);
        if (seen.length === 20) break;
      }
    })();
    // Writes while the watch is open: the events arrive before the stream ends.
    for (let i = 0; i < 20; i++) await cms.create(cm(`w${i}`));
    await watching;
    expect(seen.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(Array.from({ length: 20 }, (_, i) => `ADDED w${i}`));
    const rvs = seen.map((e) => Number(e.object.metadata.resourceVersion));
    expect([...rvs].sort((a, b) => a - b)).toEqual(rvs);
    // Leaving the loop closed the stream: the server's watch is gone too.
    await new Promise((r) => setTimeout(r, 50));
    expect(openWatches).toBe(before);

    // An abort does the same for a watch waiting for its next event.
    const waiting = (async () => {
      for await (const _ of cms.watch({ resourceVersion: String(rvs.at(-1)), signal: controller.signal })) {
        // nothing is written meanwhile
      }
    })().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    expect(openWatches).toBe(before + 1);
    controller.abort();
    await waiting;
    await new Promise((r) => setTimeout(r, 50));
    expect(openWatches).toBe(before);
  });
});
