// A namespace filter ('' = all namespaces), listing the cluster's namespaces live.
import { Select } from 'antd';
import { useI18n } from '../../i18n/i18n.js';
import { useKubeList } from '../../lib/k8s/hooks.js';
import { resources } from '../../lib/k8s/resources.js';

export function NamespaceSelect({ value, onChange, allowAll = true }: { value: string; onChange(v: string): void; allowAll?: boolean }) {
  const { t } = useI18n();
  const ns = useKubeList(resources.namespaces);
  const names = (ns.items ?? []).map((n) => n.metadata.name ?? '').sort();
  return (
    <Select
      aria-label={t('common.namespace')}
      style={{ minWidth: 180 }}
      value={value}
      onChange={onChange}
      options={[...(allowAll ? [{ value: '', label: t('common.allNamespaces') }] : []), ...names.map((n) => ({ value: n, label: n }))]}
    />
  );
}

/** The namespace filter kept in the URL (?namespace=). */
export function useNamespaceParam(params: URLSearchParams, setParams: (p: URLSearchParams, o?: { replace?: boolean }) => void): [string, (ns: string) => void] {
  const value = params.get('namespace') ?? '';
  return [
    value,
    (ns: string) => {
      const p = new URLSearchParams(params);
      if (ns) p.set('namespace', ns);
      else p.delete('namespace');
      setParams(p, { replace: true });
    },
  ];
}
