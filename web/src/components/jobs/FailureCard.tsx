// The failure card: why the Job failed, the failing pod and container, its exit code and last log lines.
import { Alert, Flex, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useI18n } from '../../i18n/i18n.js';
import type { JobFailureSummary } from '../../lib/k8s/job-status.js';

export interface FailureCardProps {
  summary: JobFailureSummary;
  namespace: string;
  /** Last lines of the failing container's log (undefined while loading, [] when none). */
  logLines?: string[];
  logError?: string;
  onShowLogs?(): void;
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      <Typography.Text type="secondary">{label}: </Typography.Text>
      {children}
    </span>
  );
}

export function FailureCard({ summary, namespace, logLines, logError, onShowLogs }: FailureCardProps) {
  const { t } = useI18n();
  const c = summary.container;
  const title = summary.kind === 'failed' ? t('failure.title') : t('failure.stuckTitle');
  return (
    <Alert
      type={summary.kind === 'failed' ? 'error' : 'warning'}
      showIcon
      role="alert"
      data-testid="failure-card"
      style={{ marginBottom: 16 }}
      title={
        <Typography.Text strong>
          {title}: {summary.reason}
        </Typography.Text>
      }
      description={
        <Space orientation="vertical" style={{ width: '100%' }}>
          {summary.message && <Typography.Text>{summary.message}</Typography.Text>}
          <Flex wrap gap="4px 24px">
            {summary.pod && (
              <Fact label={t('failure.pod')}>
                <Link to={`/pods/${namespace}/${summary.pod}`}>{summary.pod}</Link>
              </Fact>
            )}
            {c && (
              <Fact label={t('failure.container')}>
                {c.container}
                {c.init ? ` (${t('failure.init')})` : ''}
              </Fact>
            )}
            {c && (
              <Fact label={t('failure.exitCode')}>
                <span data-testid="exit-code">{c.exitCode}</span>
                {c.reason ? ` (${c.reason})` : ''}
                {c.previous ? ` — ${t('failure.previousRun')}` : ''}
              </Fact>
            )}
            {summary.waiting && <Fact label={t('failure.waiting')}>{summary.waiting.reason}</Fact>}
          </Flex>
          {c?.reason === 'OOMKilled' && <Typography.Text>{t('failure.hint')}: {t('failure.oomHint')}</Typography.Text>}
          {summary.pod && (
            <div>
              <Space>
                <Typography.Text type="secondary">{t('failure.lastLines')}</Typography.Text>
                {onShowLogs && <Typography.Link onClick={onShowLogs}>{t('failure.allLogs')}</Typography.Link>}
              </Space>
              {logError ? (
                <Typography.Paragraph type="secondary">{logError}</Typography.Paragraph>
              ) : (
                <pre data-testid="failure-log" style={{ background: '#0f1419', color: '#d6deeb', fontSize: 12, padding: 8, maxHeight: 240, overflow: 'auto', margin: '4px 0 0' }}>
                  {logLines === undefined ? '…' : logLines.length === 0 ? t('logs.noLines') : logLines.join('\n')}
                </pre>
              )}
            </div>
          )}
        </Space>
      }
    />
  );
}
