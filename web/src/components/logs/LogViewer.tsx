// Logs of one or many pods in one view: streaming, search (text or regex), pod and container
// filters, timestamps, previous containers, download. The shell (LogPanel) opens the streams.
import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Input, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useMemo, useRef } from 'react';
import { useI18n } from '../../i18n/i18n.js';
import { filterLogLines, highlightParts, logMatcher, type LogLine } from '../../lib/k8s/log-lines.js';
import type { LogStreamsState } from '../../lib/k8s/use-logs.js';

export const MAX_SHOWN_LINES = 5000;
const POD_COLORS = ['#1668dc', '#d4380d', '#389e0d', '#9254de', '#d48806', '#08979c', '#c41d7f', '#7cb305'];

/** A stable colour per pod name. */
export function podColor(pod: string): string {
  let h = 0;
  for (const ch of pod) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return POD_COLORS[h % POD_COLORS.length];
}

export interface LogViewOptions {
  query: string;
  regex: boolean;
  caseSensitive: boolean;
  /** Pods to show; empty = all. */
  pods: string[];
  /** '' = every container. */
  container: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
}

export const defaultLogViewOptions = (): LogViewOptions => ({ query: '', regex: false, caseSensitive: false, pods: [], container: '', follow: true, previous: false, timestamps: false });

export interface LogViewerRendererProps {
  state: LogStreamsState;
  pods: string[];
  containers: string[];
  options: LogViewOptions;
  onOptionsChange(o: LogViewOptions): void;
  /** Show the pod name on each line (the all-pods view). */
  showPod: boolean;
  height?: number;
}

export function LogViewerRenderer({ state, pods, containers, options, onOptionsChange, showPod, height = 480 }: LogViewerRendererProps) {
  const { t } = useI18n();
  const set = (patch: Partial<LogViewOptions>) => onOptionsChange({ ...options, ...patch });
  const matcher = useMemo(() => logMatcher({ query: options.query, regex: options.regex, caseSensitive: options.caseSensitive }), [options.query, options.regex, options.caseSensitive]);
  const shown = useMemo(() => {
    const all = filterLogLines(state.lines, { query: options.query, regex: options.regex, caseSensitive: options.caseSensitive, pods: new Set(options.pods) });
    return all.length > MAX_SHOWN_LINES ? all.slice(all.length - MAX_SHOWN_LINES) : all;
  }, [state.lines, options.query, options.regex, options.caseSensitive, options.pods]);
  const box = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  useEffect(() => {
    const el = box.current;
    if (el && options.follow && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [shown, options.follow]);

  const problems = Object.entries(state.status).filter(([, s]) => s.status === 'error' || s.status === 'waiting');
  const download = () => {
    const text = shown.map((l) => `${showPod ? `[${l.pod}/${l.container}] ` : ''}${options.timestamps && l.timestamp ? `${l.timestamp} ` : ''}${l.text}`).join('\n');
    const url = URL.createObjectURL(new Blob([`${text}\n`], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'logs.txt';
    a.click();
    URL.revokeObjectURL(url);
  };

  return (
    <div>
      <Space wrap style={{ marginBottom: 8 }}>
        <Input.Search
          aria-label={t('logs.search')}
          placeholder={t('logs.searchPlaceholder')}
          allowClear
          value={options.query}
          onChange={(e) => set({ query: e.target.value })}
          style={{ width: 260 }}
          status={matcher instanceof Error ? 'error' : undefined}
        />
        <Checkbox checked={options.regex} onChange={(e) => set({ regex: e.target.checked })}>
          {t('logs.regex')}
        </Checkbox>
        <Checkbox checked={options.caseSensitive} onChange={(e) => set({ caseSensitive: e.target.checked })}>
          {t('logs.caseSensitive')}
        </Checkbox>
        {pods.length > 1 && (
          <Select
            aria-label={t('logs.pods')}
            mode="multiple"
            allowClear
            placeholder={t('logs.allPods')}
            style={{ minWidth: 220 }}
            value={options.pods}
            onChange={(v: string[]) => set({ pods: v })}
            options={pods.map((p) => ({ value: p, label: p }))}
          />
        )}
        <Select
          aria-label={t('logs.container')}
          style={{ minWidth: 160 }}
          value={options.container}
          onChange={(container: string) => set({ container })}
          options={[...(containers.length > 1 ? [{ value: '', label: t('logs.allContainers') }] : []), ...containers.map((c) => ({ value: c, label: c }))]}
        />
        <Checkbox checked={options.follow} onChange={(e) => set({ follow: e.target.checked })}>
          {t('logs.follow')}
        </Checkbox>
        <Checkbox checked={options.timestamps} onChange={(e) => set({ timestamps: e.target.checked })}>
          {t('logs.timestamps')}
        </Checkbox>
        <Tooltip title={t('logs.previousHelp')}>
          <Checkbox checked={options.previous} onChange={(e) => set({ previous: e.target.checked })}>
            {t('logs.previous')}
          </Checkbox>
        </Tooltip>
        <Button icon={<DownloadOutlined />} onClick={download} disabled={shown.length === 0}>
          {t('logs.download')}
        </Button>
      </Space>
      {matcher instanceof Error && <Alert type="warning" showIcon title={t('logs.badRegex', { error: matcher.message })} style={{ marginBottom: 8 }} />}
      {problems.map(([key, s]) => (
        <Alert key={key} type={s.status === 'waiting' ? 'info' : 'warning'} showIcon style={{ marginBottom: 8 }} title={`${key}: ${s.status === 'waiting' ? t('logs.waiting') : ''} ${s.message ?? ''}`} />
      ))}
      <div
        ref={box}
        role="log"
        aria-label={t('logs.title')}
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
        style={{ height, overflow: 'auto', background: '#0f1419', color: '#d6deeb', fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: 12, padding: 8, borderRadius: 4 }}
      >
        {shown.length === 0 ? (
          <Typography.Text style={{ color: '#8a94a6' }}>{state.lines.length === 0 ? t('logs.noLines') : t('logs.noMatches')}</Typography.Text>
        ) : (
          shown.map((l: LogLine) => (
            <div key={`${l.pod}/${l.container}/${l.seq}`} className="log-line" data-pod={l.pod} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
              {showPod && (
                <Tag color={podColor(l.pod)} style={{ fontSize: 11, lineHeight: '16px', marginRight: 6 }}>
                  {l.pod}
                  {containers.length > 1 && options.container === '' ? `/${l.container}` : ''}
                </Tag>
              )}
              {options.timestamps && l.timestamp && <span style={{ color: '#8a94a6', marginRight: 6 }}>{l.timestamp}</span>}
              <span className="log-text">
                {highlightParts(l.text, matcher).map((p, i) =>
                  p.match ? (
                    <mark key={i} style={{ background: '#ffd666', color: '#000', padding: 0 }}>
                      {p.text}
                    </mark>
                  ) : (
                    <span key={i}>{p.text}</span>
                  ),
                )}
              </span>
            </div>
          ))
        )}
      </div>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('logs.count', { shown: shown.length, total: state.lines.length })}
      </Typography.Text>
    </div>
  );
}
