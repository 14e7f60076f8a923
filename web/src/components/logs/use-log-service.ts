// Whether a cluster has jobyard's log service. Logstores are collected by the node agent of the
// engine that runs the pods and kept by that engine: `local`, or another jobyard server added as
// a cluster, serves `logs.jobyard.io/v1`; a Kubernetes cluster does not. The console asks the
// cluster's discovery (GET /apis/logs.jobyard.io/v1, through the proxy for an added cluster)
// and never sends one cluster's job to another cluster's log service.
import { useEffect, useState } from 'react';
import { isNotFound } from '../../lib/k8s/api-error.js';
import type { KubeClient } from '../../lib/k8s/client.js';
import { useKubeClient } from '../../lib/k8s/hooks.js';

export const LOG_SERVICE_GROUP_VERSION = 'logs.jobyard.io/v1';

export type LogServiceState = { state: 'checking' } | { state: 'served' } | { state: 'absent' } | { state: 'error'; error: Error };

interface APIResourceList {
  groupVersion?: string;
  resources?: { name?: string }[];
}

const answers = new WeakMap<KubeClient, Promise<boolean>>();

/**
 * True when the cluster's discovery lists `logstores` in logs.jobyard.io/v1; false when the
 * group-version is not there (404). Other failures (unreachable, forbidden) are thrown and
 * asked again next time; answers are kept per client.
 */
export function logServiceServed(client: KubeClient): Promise<boolean> {
  let p = answers.get(client);
  if (!p) {
    p = client.requestJSON<APIResourceList>('GET', `/apis/${LOG_SERVICE_GROUP_VERSION}`).then(
      (list) => (list?.resources ?? []).some((r) => r.name === 'logstores'),
      (err: unknown) => {
        if (isNotFound(err)) return false;
        answers.delete(client);
        throw err;
      },
    );
    answers.set(client, p);
  }
  return p;
}

/** The current cluster's log service, checked once per cluster. */
export function useLogService(): LogServiceState {
  const client = useKubeClient();
  const [s, setS] = useState<{ client: KubeClient; state: LogServiceState }>({ client, state: { state: 'checking' } });
  useEffect(() => {
    let cancelled = false;
    setS({ client, state: { state: 'checking' } });
    logServiceServed(client).then(
      (served) => !cancelled && setS({ client, state: { state: served ? 'served' : 'absent' } }),
      (err: unknown) => !cancelled && setS({ client, state: { state: 'error', error: err instanceof Error ? err : new Error(String(err)) } }),
    );
    return () => {
      cancelled = true;
    };
  }, [client]);
  // A state from the previous cluster is never shown for this one.
  return s.client === client ? s.state : { state: 'checking' };
}
