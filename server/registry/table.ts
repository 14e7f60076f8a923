// Building blocks of the kubectl table columns (upstream pkg/printers/internalversion).
// The server always fills every column, priority-1 ("wide") ones included, as upstream's
// TableConvertor does; kubectl hides priority-1 columns unless asked for -o wide.
import type { Container, LabelSelector, TableColumnDefinition } from '../../api/index.js';
import { labelSelectorAsSelector } from '../../machinery/index.js';

/** A column definition; `name` is the header kubectl upper-cases. */
export function column(name: string, description: string, opts: { type?: string; format?: string; priority?: number } = {}): TableColumnDefinition {
  return { name, type: opts.type ?? 'string', format: opts.format ?? '', description, priority: opts.priority ?? 0 };
}

export const NAME_COLUMN = column(
  'Name',
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  { format: 'name' },
);

export const AGE_COLUMN = column(
  'Age',
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
);

/** layoutContainerCells: "a,b" and "img-a,img-b". */
export function layoutContainerCells(containers: Container[] | undefined): { names: string; images: string } {
  const list = containers ?? [];
  return { names: list.map((c) => c.name).join(','), images: list.map((c) => c.image ?? '').join(',') };
}

/** metav1.FormatLabelSelector: requirements sorted by key, "<none>" when empty or nil. */
export function formatLabelSelector(selector: LabelSelector | undefined | null): string {
  if (!selector) return '<none>';
  let reqs;
  try {
    reqs = labelSelectorAsSelector(selector).requirements;
  } catch {
    return '<error>';
  }
  const parts = [...reqs]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => {
      switch (r.operator) {
        case 'exists':
          return r.key;
        case '!':
          return `!${r.key}`;
        case 'in':
        case 'notin':
          return `${r.key} ${r.operator} (${[...r.values].sort().join(',')})`;
        default:
          return `${r.key}=${r.values[0]}`;
      }
    });
  return parts.length ? parts.join(',') : '<none>';
}
