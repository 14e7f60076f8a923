// A terminal in a running container of a pod (`kubectl exec -it POD -c C -- sh`), as cloud
// consoles offer on a pod's page: xterm.js draws it, pods/exec carries it (lib/k8s/exec.ts).
import '@xterm/xterm/css/xterm.css';
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { Alert, Button, Input, Select, Space, Tag } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { Pod } from '../../../../api/core.js';
import { useI18n } from '../../i18n/i18n.js';
import { type ExecConnection, type ExecEnd, execUrl, openExec } from '../../lib/k8s/exec.js';
import { useKubeClient } from '../../lib/k8s/hooks.js';

type State = 'idle' | 'connecting' | 'open' | 'ended';

interface Session {
  term: Terminal;
  conn: ExecConnection;
  observer: ResizeObserver;
}

/** Names of the pod's containers that run now (an exec needs a running process). */
export function runningContainers(pod: Pod): string[] {
  return (pod.status?.containerStatuses ?? []).filter((s) => s.state?.running).map((s) => s.name);
}

export function PodTerminal({ pod }: { pod: Pod }) {
  const { t } = useI18n();
  const client = useKubeClient();
  const running = runningContainers(pod);
  const [container, setContainer] = useState(running[0] ?? '');
  const [command, setCommand] = useState('sh');
  const [state, setState] = useState<State>('idle');
  const [end, setEnd] = useState<ExecEnd>();
  const host = useRef<HTMLDivElement>(null);
  const session = useRef<Session | undefined>(undefined);

  const dispose = () => {
    const s = session.current;
    session.current = undefined;
    if (!s) return;
    s.observer.disconnect();
    s.conn.close();
    s.term.dispose();
  };
  useEffect(() => dispose, []);

  const connect = () => {
    dispose();
    if (!host.current || !container) return;
    const term = new Terminal({ cursorBlink: true, fontSize: 13, fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', scrollback: 5000 });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(host.current);
    fit.fit();
    setState('connecting');
    setEnd(undefined);
    const url = execUrl(window.location, client.baseUrl, {
      namespace: pod.metadata.namespace ?? 'default',
      pod: pod.metadata.name ?? '',
      container,
      command: command.trim().split(/\s+/).filter(Boolean),
      tty: true,
    });
    const conn = openExec(url, {
      onOpen: () => {
        setState('open');
        conn.resize(term.cols, term.rows);
        term.focus();
      },
      onOutput: (data) => term.write(data),
      onEnd: (e) => {
        setState('ended');
        setEnd(e);
        term.options.cursorBlink = false;
      },
    });
    term.onData((d) => conn.send(d));
    term.onResize(({ cols, rows }) => conn.resize(cols, rows));
    const observer = new ResizeObserver(() => fit.fit());
    observer.observe(host.current);
    session.current = { term, conn, observer };
  };

  const disconnect = () => session.current?.conn.close();

  if (running.length === 0) return <Alert type="info" showIcon title={t('terminal.notRunning')} />;
  const busy = state === 'connecting' || state === 'open';
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Select aria-label={t('terminal.container')} value={container} onChange={setContainer} disabled={busy} style={{ minWidth: 160 }} options={running.map((c) => ({ value: c, label: c }))} />
        <Input aria-label={t('terminal.command')} value={command} onChange={(e) => setCommand(e.target.value)} disabled={busy} style={{ width: 200 }} onPressEnter={() => !busy && connect()} />
        {busy ? (
          <Button onClick={disconnect}>{t('terminal.disconnect')}</Button>
        ) : (
          <Button type="primary" onClick={connect} disabled={!command.trim()}>
            {t('terminal.connect')}
          </Button>
        )}
        <span data-testid="terminal-state">
          {state === 'connecting' && <Tag>{t('terminal.connecting')}</Tag>}
          {state === 'open' && <Tag color="green">{t('terminal.connected')}</Tag>}
          {state === 'ended' && (end?.exitCode !== undefined ? <Tag color={end.exitCode === 0 ? 'default' : 'red'}>{t('terminal.exited', { code: String(end.exitCode) })}</Tag> : <Tag color="orange">{end?.message ?? ''}</Tag>)}
        </span>
      </Space>
      <div ref={host} data-testid="terminal" style={{ height: 420, background: '#000', padding: 4 }} />
    </Space>
  );
}
