import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/index.js';
import { Indexer, Lister } from '../../client/index.js';
import { POD_CONTROLLER_UID_INDEX, addPodControllerUIDIndexer, orphanPodIndexKey } from './job-pods.js';

const pod = (name: string, namespace: string, owner?: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace,
    ...(owner ? { ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: owner, controller: true }] } : {}),
  },
  spec: { containers: [] },
});

describe('POD_CONTROLLER_UID_INDEX', () => {
  it("files pods under their controller's uid and orphans under their namespace, following updates", () => {
    const indexer = new Indexer<Pod>();
    indexer.add(pod('mine', 'default', 'uid-a'));
    indexer.add(pod('theirs', 'default', 'uid-b'));
    indexer.add(pod('orphan', 'default'));
    indexer.add(pod('elsewhere', 'other'));
    addPodControllerUIDIndexer(indexer);
    addPodControllerUIDIndexer(indexer); // a second controller on the same shared informer
    const lister = new Lister(indexer);
    const names = (value: string) => lister.byIndex(POD_CONTROLLER_UID_INDEX, value)?.map((p) => p.metadata.name).sort();
    expect(names('uid-a')).toEqual(['mine']);
    expect(names(orphanPodIndexKey('default'))).toEqual(['orphan']);
    expect(names(orphanPodIndexKey('other'))).toEqual(['elsewhere']);
    // Adopted: it leaves the orphans.
    indexer.update(pod('orphan', 'default', 'uid-a'));
    expect(names('uid-a')).toEqual(['mine', 'orphan']);
    expect(names(orphanPodIndexKey('default'))).toEqual([]);
    indexer.delete(pod('mine', 'default', 'uid-a'));
    expect(names('uid-a')).toEqual(['orphan']);
  });

  it('is absent (undefined) from a lister whose informer lacks it', () => {
    expect(new Lister(new Indexer<Pod>()).byIndex(POD_CONTROLLER_UID_INDEX, 'x')).toBeUndefined();
  });
});
