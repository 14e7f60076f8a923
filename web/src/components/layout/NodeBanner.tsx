// A banner on every screen while a node of the current cluster is not Ready, with the kubelet's
// reason and message (e.g. "PLEG is not healthy: ..." when the container engine is stuck): pods
// waiting on that node would otherwise only show ContainerCreating. A kubeconfig that may not
// list nodes shows nothing.
import { Alert } from 'antd';
import type { Node } from '../../../../api/core.js';
import { useKubeList } from '../../lib/k8s/hooks.js';
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

export function NodeBanner() {
  const { t } = useI18n();
  const { items } = useKubeList(resources.nodes);
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
