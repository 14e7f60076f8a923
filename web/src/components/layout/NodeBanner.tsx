// A banner on every screen while a node of the current cluster is not Ready, with the kubelet's
// reason and message (e.g. "PLEG is not healthy: ..." when the container engine is stuck): pods
// waiting on that node would otherwise only show ContainerCreating. A kubeconfig that may not
// list nodes shows nothing.
//
// It polls rather than watches: a browser keeps at most six HTTP/1.1 connections to one host
// across all its tabs, and a watch holds one for good; a banner on every screen holding one more
// per tab starved two open tabs of connections for their own pages.
import { useEffect, useState } from 'react';
import { Alert } from 'antd';
import type { Node } from '../../../../api/core.js';
import { useKubeClient } from '../../lib/k8s/hooks.js';
import { resources } from '../../lib/k8s/resources.js';
import { useI18n } from '../../i18n/i18n.js';

/** Nodes whose Ready condition is not True, with that condition. */
export function notReadyNodes(nodes: readonly Node[]): { name: string; reason: string; message: string }[] {
  const out: { name: string; reason: string; message: string }[] = [];
  for (const n of nodes) {
    const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
    if (!ready || ready.status === 'True') continue;
    out.push({ name: n.metadata.name ?? '', reason: ready.reason ?? '', message: ready.message ?? '' });
  }
  return out;
}

/** How often the nodes are read again: the engine health check itself takes seconds to minutes. */
export const NODE_POLL_INTERVAL_MS = 10_000;

/** The cluster's nodes, read now and every `intervalMs`; undefined until read or when refused. */
function usePolledNodes(intervalMs: number): Node[] | undefined {
  const client = useKubeClient();
  const [items, setItems] = useState<Node[] | undefined>(undefined);
  useEffect(() => {
    const ac = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async () => {
      try {
        const list = await client.list(resources.nodes, { signal: ac.signal });
        if (!ac.signal.aborted) setItems(list.items);
      } catch {
        // Refused (a kubeconfig that may not list nodes) or unreachable: no banner from us.
        if (!ac.signal.aborted) setItems(undefined);
      }
      if (!ac.signal.aborted) timer = setTimeout(() => void read(), intervalMs);
    };
    setItems(undefined);
    void read();
    return () => {
      ac.abort();
      if (timer) clearTimeout(timer);
    };
  }, [client, intervalMs]);
  return items;
}

export function NodeBanner({ intervalMs = NODE_POLL_INTERVAL_MS }: { intervalMs?: number } = {}) {
  const { t } = useI18n();
  const items = usePolledNodes(intervalMs);
  return (
    <>
      {notReadyNodes(items ?? []).map((n) => (
        <Alert
          key={n.name}
          type="error"
          showIcon
          role="alert"
          data-testid="node-not-ready"
          style={{ marginBottom: 16 }}
          title={t('nodes.notReady', { name: n.name })}
          description={n.reason ? `${n.reason}: ${n.message}` : n.message}
        />
      ))}
    </>
  );
}
