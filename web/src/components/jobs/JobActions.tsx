// Actions on a Job: clone (wizard pre-filled), rerun, suspend / resume, change parallelism, delete.
import { CopyOutlined, DeleteOutlined, PauseCircleOutlined, PlayCircleOutlined, RedoOutlined, ControlOutlined } from '@ant-design/icons';
import { Button, InputNumber, Modal, Radio, Space, Typography } from 'antd';
import { useState } from 'react';
import type { Job } from '../../../../api/batch.js';
import { useI18n } from '../../i18n/i18n.js';
import { jobCondition } from '../../lib/k8s/job-status.js';

export type DeletePropagation = 'Background' | 'Orphan';

export interface JobActionHandlers {
  onClone(): void;
  onRerun(): Promise<void>;
  onSuspend(suspend: boolean): Promise<void>;
  onParallelism(parallelism: number): Promise<void>;
  onDelete(propagationPolicy: DeletePropagation): Promise<void>;
}

export function JobActions({ job, handlers }: { job: Job; handlers: JobActionHandlers }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState<string>();
  const [parallelismOpen, setParallelismOpen] = useState(false);
  const [parallelism, setParallelism] = useState<number | null>(job.spec.parallelism ?? 1);
  const [deleteOpen, setDeleteOpen] = useState(false);
  const [propagation, setPropagation] = useState<DeletePropagation>('Background');
  const finished = !!(jobCondition(job, 'Complete') || jobCondition(job, 'Failed'));
  const suspended = job.spec.suspend === true;
  const run = async (name: string, f: () => Promise<void>) => {
    setBusy(name);
    try {
      await f();
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <Space wrap>
      <Button icon={<CopyOutlined />} onClick={handlers.onClone}>
        {t('actions.clone')}
      </Button>
      <Button icon={<RedoOutlined />} loading={busy === 'rerun'} onClick={() => void run('rerun', handlers.onRerun)}>
        {t('actions.rerun')}
      </Button>
      {!finished && (
        <Button icon={suspended ? <PlayCircleOutlined /> : <PauseCircleOutlined />} loading={busy === 'suspend'} onClick={() => void run('suspend', () => handlers.onSuspend(!suspended))}>
          {suspended ? t('actions.resume') : t('actions.suspend')}
        </Button>
      )}
      {!finished && (
        <Button
          icon={<ControlOutlined />}
          onClick={() => {
            setParallelism(job.spec.parallelism ?? 1);
            setParallelismOpen(true);
          }}
        >
          {t('actions.parallelism')}
        </Button>
      )}
      <Button danger icon={<DeleteOutlined />} onClick={() => setDeleteOpen(true)}>
        {t('actions.delete')}
      </Button>
      <Modal
        title={t('actions.parallelismTitle')}
        open={parallelismOpen}
        okButtonProps={{ disabled: parallelism === null || parallelism < 0, loading: busy === 'parallelism' }}
        onCancel={() => setParallelismOpen(false)}
        onOk={() =>
          void run('parallelism', async () => {
            await handlers.onParallelism(parallelism ?? 0);
            setParallelismOpen(false);
          })
        }
      >
        <Typography.Paragraph type="secondary">{t('actions.parallelismHelp')}</Typography.Paragraph>
        <InputNumber aria-label={t('settings.parallelism')} min={0} precision={0} value={parallelism} onChange={(v) => setParallelism(v)} />
      </Modal>
      <Modal
        title={t('actions.deleteTitle', { name: job.metadata.name ?? '' })}
        open={deleteOpen}
        okText={t('actions.delete')}
        okButtonProps={{ danger: true, loading: busy === 'delete' }}
        onCancel={() => setDeleteOpen(false)}
        onOk={() =>
          void run('delete', async () => {
            await handlers.onDelete(propagation);
            setDeleteOpen(false);
          })
        }
      >
        <Radio.Group value={propagation} onChange={(e) => setPropagation(e.target.value as DeletePropagation)}>
          <Space orientation="vertical">
            <Radio value="Background">{t('actions.deleteWithPods')}</Radio>
            <Radio value="Orphan">{t('actions.deleteKeepPods')}</Radio>
          </Space>
        </Radio.Group>
      </Modal>
    </Space>
  );
}
