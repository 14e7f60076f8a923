// The logs shell: opens a stream per pod × container and renders them together.
import { useMemo, useState } from 'react';
import type { Pod } from '../../../../api/core.js';
import { useKubeClient } from '../../lib/k8s/hooks.js';
import { useLogStreams, type LogTarget } from '../../lib/k8s/use-logs.js';
import { defaultLogViewOptions, LogViewerRenderer, type LogViewOptions } from './LogViewer.js';

export const LOG_TAIL_LINES = 1000;

/** Containers of the pods, app containers first (the default view shows the first). */
export function containerNames(pods: readonly Pod[]): string[] {
  const app = new Set<string>();
  const init = new Set<string>();
  for (const p of pods) {
    for (const c of p.spec.containers) app.add(c.name);
    for (const c of p.spec.initContainers ?? []) init.add(c.name);
  }
  return [...app, ...[...init].filter((c) => !app.has(c))];
}

export function LogPanel({ pods, initialPod, height }: { pods: readonly Pod[]; initialPod?: string; height?: number }) {
  const client = useKubeClient();
  const containers = useMemo(() => containerNames(pods), [pods]);
  const [options, setOptions] = useState<LogViewOptions>(() => ({ ...defaultLogViewOptions(), pods: initialPod ? [initialPod] : [], container: containers.length > 1 ? '' : (containers[0] ?? '') }));
  const podKey = pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}/${p.metadata.uid}`).join(',');
  const targets = useMemo<LogTarget[]>(() => {
    const out: LogTarget[] = [];
    for (const p of pods) {
      if (options.pods.length > 0 && !options.pods.includes(p.metadata.name ?? '')) continue;
      const names = [...(p.spec.initContainers ?? []), ...p.spec.containers].map((c) => c.name);
      for (const c of names) {
        if (options.container && c !== options.container) continue;
        // "All containers" means the app containers; init containers are picked by name.
        if (!options.container && !p.spec.containers.some((x) => x.name === c)) continue;
        out.push({ namespace: p.metadata.namespace ?? '', pod: p.metadata.name ?? '', container: c });
      }
    }
    return out;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [podKey, options.pods, options.container]);
  const state = useLogStreams(client, targets, { follow: options.follow, tailLines: LOG_TAIL_LINES, previous: options.previous });
  return (
    <LogViewerRenderer
      state={state}
      pods={pods.map((p) => p.metadata.name ?? '')}
      containers={containers}
      options={options}
      onOptionsChange={setOptions}
      showPod={pods.length > 1}
      height={height}
    />
  );
}
