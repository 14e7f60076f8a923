// Rows of key = value (labels, HTTP headers, log tags).
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Input, Space } from 'antd';
import { useI18n } from '../../i18n/i18n.js';

export interface KeyValueRow {
  key: string;
  value: string;
}

export function KeyValueEditor({
  value,
  onChange,
  keyPlaceholder,
  valuePlaceholder,
  addLabel,
  ariaPrefix,
}: {
  value: KeyValueRow[];
  onChange(v: KeyValueRow[]): void;
  keyPlaceholder?: string;
  valuePlaceholder?: string;
  addLabel?: string;
  ariaPrefix?: string;
}) {
  const { t } = useI18n();
  const set = (i: number, patch: Partial<KeyValueRow>) => onChange(value.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {value.map((row, i) => (
        <Space.Compact key={i} style={{ width: '100%' }}>
          <Input aria-label={`${ariaPrefix ?? ''}${t('common.key')} ${i + 1}`} placeholder={keyPlaceholder ?? t('common.key')} value={row.key} onChange={(e) => set(i, { key: e.target.value })} />
          <Input aria-label={`${ariaPrefix ?? ''}${t('common.value')} ${i + 1}`} placeholder={valuePlaceholder ?? t('common.value')} value={row.value} onChange={(e) => set(i, { value: e.target.value })} />
          <Button aria-label={t('common.remove')} icon={<DeleteOutlined />} onClick={() => onChange(value.filter((_, j) => j !== i))} />
        </Space.Compact>
      ))}
      <Button type="dashed" icon={<PlusOutlined />} onClick={() => onChange([...value, { key: '', value: '' }])}>
        {addLabel ?? t('common.add')}
      </Button>
    </Space>
  );
}
