// "Select image": images from the pluggable sources (the engine's today, registries later).
import { Alert, Input, Modal, Table, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { useI18n } from '../../i18n/i18n.js';
import type { ImageInfo } from '../../lib/images/image-sources.js';

export function formatBytes(n: number | undefined): string {
  if (!n) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

export function ImagePicker({ open, images, loading, error, onCancel, onPick }: { open: boolean; images: ImageInfo[]; loading: boolean; error?: string; onCancel(): void; onPick(repository: string, tag: string): void }) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState<string>();
  const shown = useMemo(() => images.filter((i) => i.repository.toLowerCase().includes(query.toLowerCase())), [images, query]);
  const pick = (repo: string | undefined) => {
    const img = images.find((i) => i.repository === repo);
    if (img) onPick(img.repository, img.tags.includes('latest') ? 'latest' : (img.tags[0] ?? 'latest'));
  };
  return (
    <Modal title={t('image.pickTitle')} open={open} onCancel={onCancel} onOk={() => pick(selected)} okButtonProps={{ disabled: !selected }} width={720} destroyOnHidden>
      <Input.Search placeholder={t('image.search')} aria-label={t('image.search')} allowClear value={query} onChange={(e) => setQuery(e.target.value)} style={{ marginBottom: 12 }} />
      {error && <Alert type="warning" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table<ImageInfo>
        size="small"
        rowKey="repository"
        loading={loading}
        dataSource={shown}
        pagination={{ pageSize: 8, hideOnSinglePage: true }}
        rowSelection={{ type: 'radio', selectedRowKeys: selected ? [selected] : [], onChange: (keys) => setSelected(String(keys[0])) }}
        onRow={(r) => ({ onClick: () => setSelected(r.repository), onDoubleClick: () => pick(r.repository) })}
        locale={{ emptyText: t('image.none') }}
        columns={[
          { title: t('image.repository'), key: 'repo', render: (_, r) => r.repository },
          { title: t('image.tags'), key: 'tags', render: (_, r) => r.tags.map((tag) => <Tag key={tag}>{tag}</Tag>) },
          { title: t('image.size'), key: 'size', render: (_, r) => formatBytes(r.sizeBytes) },
          { title: t('image.source'), key: 'source', render: (_, r) => (r.source === 'engine' ? t('images.source.engine') : t('images.source.registry')) },
        ]}
      />
      <Alert type="info" showIcon style={{ marginTop: 12 }} title={t('image.privateHint')} />
    </Modal>
  );
}
