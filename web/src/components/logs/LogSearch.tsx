// Search in a logstore: words, filters (namespace, job, pod, container, tags), a time range,
// newest or oldest first, a histogram of lines over time, paging, and a live tail.
// `LogSearchRenderer` is pure (props in, callbacks out); `LogSearch` talks to the log service.
import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, DatePicker, Empty, Flex, Input, Select, Space, Switch, Tag, Tooltip, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LogHistogram, LogRecord } from '../../../../api/logs.js';
import { useI18n } from '../../i18n/i18n.js';
import { errorMessage } from '../../lib/k8s/api-error.js';
import { useKubeClient } from '../../lib/k8s/hooks.js';
import { podColor } from './LogViewer.js';
import { emptyFilter, fetchHistogram, followLogs, type LogFilter, mergeFollowed, QUICK_RANGES, type QuickRange, searchLogs, sourceOf } from './log-service.js';

export const PAGE_SIZE = 200;
/** Lines kept on screen while following. */
export const MAX_FOLLOWED = 2000;

/** Fields the embedding screen fixes (the job detail page fixes namespace and job). */
export type FixedFields = Partial<Pick<LogFilter, 'namespace' | 'job'>>;

export interface LogSearchRendererProps {
  filter: LogFilter;
  onFilterChange(f: LogFilter): void;
  /** Runs the search with the current filter. */
  onSearch(): void;
  records: LogRecord[] | undefined;
  histogram: LogHistogram | undefined;
  loading: boolean;
  error?: string;
  live: boolean;
  onLiveChange(live: boolean): void;
  hasMore: boolean;
  onLoadMore(): void;
  /** Narrows the time range to one histogram bucket. */
  onBucket?(from: string, to: string): void;
  fixed?: FixedFields;
  height?: number;
}

/** Bars of the histogram, scaled to the largest bucket. */
export function HistogramBars({ histogram, onBucket }: { histogram: LogHistogram; onBucket?(from: string, to: string): void }) {
  const { t } = useI18n();
  const max = Math.max(1, ...histogram.buckets.map((b) => b.count));
  const w = 100 / Math.max(1, histogram.buckets.length);
  return (
    <div>
      <Typography.Text type="secondary" data-testid="histogram-total">
        {t('logsearch.histTotal', { total: histogram.total })}
      </Typography.Text>
      <svg role="img" aria-label={t('logsearch.histogram')} viewBox="0 0 100 30" preserveAspectRatio="none" style={{ width: '100%', height: 64, display: 'block', background: '#fafafa' }}>
        {histogram.buckets.map((b, i) => {
          const h = (b.count / max) * 30;
          const to = new Date(Date.parse(b.time) + histogram.bucketSeconds * 1000).toISOString();
          return (
            <rect
              key={b.time}
              data-count={b.count}
              x={i * w + w * 0.1}
              y={30 - h}
              width={w * 0.8}
              height={h}
              fill="#1668dc"
              style={{ cursor: onBucket && b.count ? 'pointer' : undefined }}
              onClick={() => b.count && onBucket?.(b.time, to)}
            >
              <title>{`${new Date(b.time).toLocaleString()}: ${b.count}`}</title>
            </rect>
          );
        })}
      </svg>
      <Flex justify="space-between">
        <Typography.Text type="secondary" style={{ fontSize: 11 }}>
          {new Date(histogram.from).toLocaleString()}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 11 }}>
          {new Date(histogram.to).toLocaleString()}
        </Typography.Text>
      </Flex>
    </div>
  );
}

export function LogSearchRenderer(p: LogSearchRendererProps) {
  const { t } = useI18n();
  const { filter } = p;
  const set = (patch: Partial<LogFilter>) => p.onFilterChange({ ...filter, ...patch });
  const rangeValue = filter.range.kind === 'quick' ? filter.range.range : 'custom';
  const field = (key: 'namespace' | 'job' | 'pod' | 'container', label: string) =>
    p.fixed?.[key as keyof FixedFields] === undefined && (
      <Input key={key} aria-label={label} placeholder={label} allowClear value={filter[key]} onChange={(e) => set({ [key]: e.target.value })} onPressEnter={p.onSearch} style={{ width: 150 }} />
    );
  return (
    <div>
      <Space wrap style={{ marginBottom: 8 }}>
        <Input.Search
          aria-label={t('logsearch.text')}
          placeholder={t('logsearch.textPlaceholder')}
          allowClear
          value={filter.text}
          onChange={(e) => set({ text: e.target.value })}
          onSearch={p.onSearch}
          enterButton={t('logsearch.search')}
          style={{ width: 360 }}
        />
        {field('namespace', t('logsearch.namespace'))}
        {field('job', t('logsearch.job'))}
        {field('pod', t('logsearch.pod'))}
        {field('container', t('logsearch.container'))}
        <Select
          mode="tags"
          aria-label={t('logsearch.tags')}
          placeholder={t('logsearch.tags')}
          value={filter.tags}
          onChange={(tags: string[]) => set({ tags: tags.filter((x) => x.includes('=')) })}
          style={{ minWidth: 180 }}
          open={false}
          tokenSeparators={[',', ' ']}
        />
      </Space>
      <Flex wrap gap={8} align="center" style={{ marginBottom: 8 }}>
        <Select<string>
          aria-label={t('logsearch.range')}
          value={rangeValue}
          style={{ width: 150 }}
          onChange={(v) => (v === 'custom' ? set({ range: { kind: 'custom', from: dayjs().subtract(1, 'hour').toISOString(), to: dayjs().toISOString() } }) : set({ range: { kind: 'quick', range: v as QuickRange } }))}
          options={[...QUICK_RANGES.map((r) => ({ value: r, label: t(`logsearch.range.${r}`) })), { value: 'custom', label: t('logsearch.range.custom') }]}
        />
        {filter.range.kind === 'custom' && (
          <DatePicker.RangePicker
            showTime
            aria-label={t('logsearch.range.custom')}
            value={[filter.range.from ? dayjs(filter.range.from) : null, filter.range.to ? dayjs(filter.range.to) : null]}
            onChange={(v: [Dayjs | null, Dayjs | null] | null) => set({ range: { kind: 'custom', from: v?.[0]?.toISOString() ?? '', to: v?.[1]?.toISOString() ?? '' } })}
          />
        )}
        <Select<'newest' | 'oldest'>
          aria-label={t('logsearch.order')}
          value={filter.order}
          style={{ width: 150 }}
          onChange={(order) => set({ order })}
          options={[
            { value: 'newest', label: t('logsearch.newestFirst') },
            { value: 'oldest', label: t('logsearch.oldestFirst') },
          ]}
        />
        <Tooltip title={t('logsearch.liveHelp')}>
          <Space>
            <Switch aria-label={t('logsearch.live')} checked={p.live} onChange={p.onLiveChange} size="small" />
            <Typography.Text>{t('logsearch.live')}</Typography.Text>
          </Space>
        </Tooltip>
        <Button icon={<ReloadOutlined />} onClick={p.onSearch} loading={p.loading} aria-label={t('logsearch.refresh')} />
      </Flex>
      {p.error && <Alert type="error" showIcon title={p.error} style={{ marginBottom: 8 }} />}
      {p.histogram && <HistogramBars histogram={p.histogram} onBucket={p.onBucket} />}
      <div
        role="log"
        aria-label={t('logsearch.results')}
        style={{ height: p.height ?? 480, overflow: 'auto', background: '#141414', color: '#d9d9d9', fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: 12, padding: 8, marginTop: 8 }}
      >
        {p.records && p.records.length === 0 && !p.loading && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span style={{ color: '#8c8c8c' }}>{t('logsearch.noLines')}</span>} />}
        {(p.records ?? []).map((r) => (
          <div key={r.id} className="logstore-line" data-pod={r.pod} data-source={sourceOf(r)} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
            <span style={{ color: '#8c8c8c' }}>{r.time.replace('T', ' ').replace(/\.(\d{3})\d*Z$/, '.$1')} </span>
            <span style={{ color: podColor(r.pod) }}>
              [{r.pod}/{r.container}]{' '}
            </span>
            <span style={{ color: r.stream === 'stderr' ? '#ff7875' : '#69b1ff' }}>{sourceOf(r)} </span>
            <span className="logstore-text">{r.line}</span>
            {r.tags && Object.entries(r.tags).map(([k, v]) => <Tag key={k} bordered={false} style={{ marginLeft: 6, fontSize: 10 }}>{`${k}=${v}`}</Tag>)}
          </div>
        ))}
      </div>
      <Flex justify="space-between" align="center" style={{ marginTop: 8 }}>
        <Typography.Text type="secondary">{t('logsearch.count', { count: p.records?.length ?? 0 })}</Typography.Text>
        {p.hasMore && !p.live && (
          <Button onClick={p.onLoadMore} loading={p.loading}>
            {t('logsearch.loadMore')}
          </Button>
        )}
      </Flex>
    </div>
  );
}

/** The search of one logstore, with its state and calls. */
export function LogSearch({ logstore, fixed, initial, height }: { logstore: string; fixed?: FixedFields; initial?: Partial<LogFilter>; height?: number }) {
  const client = useKubeClient();
  const [filter, setFilter] = useState<LogFilter>(() => emptyFilter({ ...initial, ...fixed }));
  const [records, setRecords] = useState<LogRecord[]>();
  const [histogram, setHistogram] = useState<LogHistogram>();
  const [cont, setCont] = useState<string>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();
  const [live, setLive] = useState(false);
  const current = useRef<AbortController | undefined>(undefined);
  const applied = useRef(filter);

  const run = useCallback(
    async (f: LogFilter) => {
      current.current?.abort();
      const abort = new AbortController();
      current.current = abort;
      applied.current = f;
      setLoading(true);
      setError(undefined);
      try {
        const [page, hist] = await Promise.all([searchLogs(client, logstore, f, { limit: PAGE_SIZE, signal: abort.signal }), fetchHistogram(client, logstore, f, abort.signal)]);
        if (abort.signal.aborted) return;
        setRecords(page.items);
        setCont(page.metadata.continue);
        setHistogram(hist);
      } catch (err) {
        if (!abort.signal.aborted) setError(errorMessage(err));
      } finally {
        if (!abort.signal.aborted) setLoading(false);
      }
    },
    [client, logstore],
  );

  // First search, and again when the logstore changes.
  useEffect(() => {
    void run(applied.current);
    return () => current.current?.abort();
  }, [run]);

  // The live tail: new lines join the list as they are stored.
  useEffect(() => {
    if (!live) return undefined;
    const abort = new AbortController();
    const f = applied.current;
    void (async () => {
      try {
        let batch: LogRecord[] = [];
        let scheduled = false;
        for await (const r of followLogs(client, logstore, f, PAGE_SIZE, abort.signal)) {
          batch.push(r);
          if (!scheduled) {
            scheduled = true;
            queueMicrotask(() => {
              const incoming = batch;
              batch = [];
              scheduled = false;
              setRecords((prev) => mergeFollowed(prev ?? [], incoming, f.order, MAX_FOLLOWED));
            });
          }
        }
      } catch (err) {
        if (!abort.signal.aborted) setError(errorMessage(err));
      }
    })();
    return () => abort.abort();
  }, [live, client, logstore]);

  const loadMore = async () => {
    if (!cont) return;
    setLoading(true);
    try {
      const page = await searchLogs(client, logstore, applied.current, { limit: PAGE_SIZE, continueToken: cont });
      setRecords((prev) => [...(prev ?? []), ...page.items]);
      setCont(page.metadata.continue);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setLoading(false);
    }
  };

  return (
    <LogSearchRenderer
      filter={filter}
      onFilterChange={setFilter}
      onSearch={() => {
        setLive(false);
        void run(filter);
      }}
      records={records}
      histogram={histogram}
      loading={loading}
      error={error}
      live={live}
      onLiveChange={(on) => {
        applied.current = filter;
        setLive(on);
      }}
      hasMore={!!cont}
      onLoadMore={() => void loadMore()}
      onBucket={(from, to) => {
        const f = { ...filter, range: { kind: 'custom' as const, from, to } };
        setFilter(f);
        setLive(false);
        void run(f);
      }}
      fixed={fixed}
      height={height}
    />
  );
}
