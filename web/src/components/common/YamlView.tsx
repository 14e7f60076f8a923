// Read-only YAML of an object.
import { CopyOutlined } from '@ant-design/icons';
import { Button, Spin } from 'antd';
import { useEffect, useState } from 'react';
import type { K8sObject } from '../../lib/k8s/resources.js';
import { useI18n } from '../../i18n/i18n.js';
import { forDisplay, toYaml } from './yaml-text.js';

export function YamlView({ object }: { object: K8sObject | undefined }) {
  const { t } = useI18n();
  const [text, setText] = useState<string>();
  useEffect(() => {
    let cancelled = false;
    if (object) void toYaml(forDisplay(object)).then((s) => !cancelled && setText(s));
    return () => {
      cancelled = true;
    };
  }, [object]);
  if (text === undefined) return <Spin />;
  return (
    <div style={{ position: 'relative' }}>
      <Button size="small" icon={<CopyOutlined />} style={{ position: 'absolute', right: 8, top: 8 }} onClick={() => void navigator.clipboard?.writeText(text)}>
        {t('common.copy')}
      </Button>
      <pre aria-label="YAML" style={{ background: '#fafafa', border: '1px solid #f0f0f0', padding: 12, fontSize: 12, maxHeight: 600, overflow: 'auto', margin: 0 }}>
        {text}
      </pre>
    </div>
  );
}
