// Client-side apply's annotation seen by server-side apply, as upstream's lastappliedmanager.go
// and lastappliedupdater.go: the upgrade path from `kubectl apply` to `kubectl apply --server-side`.
// Only the manager `kubectl` gets either; any other manager name opts out.
import type { KubeObject } from '../../../api/index.js';
import { definitions } from '../../../api/schema/index.js';
import type { ApplyConflict, FieldManagerScope, PathSet } from '../../../machinery/fieldpath/index.js';
import { checkAgainstSchema } from '../../../machinery/schema-check.js';
import { TOTAL_ANNOTATION_SIZE_LIMIT_BYTES } from '../meta-validation.js';

/** corev1.LastAppliedConfigAnnotation. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** The manager whose apply upgrades from (and keeps up) the client-side annotation. */
export const CLIENT_SIDE_UPGRADE_MANAGER = 'kubectl';

type JsonMap = Record<string, unknown>;
const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);

function annotationsOf(obj: unknown): Record<string, unknown> | undefined {
  if (!isMap(obj) || !isMap(obj.metadata)) return undefined;
  const a = obj.metadata.annotations;
  return isMap(a) ? a : undefined;
}

function lastAppliedOf(obj: unknown): string | undefined {
  const v = annotationsOf(obj)?.[LAST_APPLIED_ANNOTATION];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * allowedConflictsFromLastApplied: the fields the live object's last-applied configuration
 * holds with the value still live. A conflict on one of them is client-side apply's own field,
 * which `kubectl` may take over. Undefined when there is no usable annotation (none, not JSON,
 * another apiVersion, not of the resource's schema): then every conflict stays.
 */
export function allowedConflictsFromLastApplied(scope: FieldManagerScope, live: KubeObject | undefined): PathSet | undefined {
  const text = lastAppliedOf(live);
  if (text === undefined) return undefined;
  let lastApplied: unknown;
  try {
    lastApplied = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isMap(lastApplied) || lastApplied.apiVersion !== scope.apiVersion) return undefined;
  const { typeErrors, unknownFields } = checkAgainstSchema(lastApplied, scope.schema, definitions);
  if (typeErrors.length || unknownFields.length) return undefined;
  const c = scope.typed.compare(lastApplied, live, scope.schema);
  return scope.typed.fieldSet(lastApplied, scope.schema).difference(c.modified).difference(c.added).difference(c.removed);
}

/** conflictsDifference: the conflicts not on an allowed field. */
export function conflictsNotAllowed(conflicts: readonly ApplyConflict[], allowed: PathSet): ApplyConflict[] {
  return conflicts.filter((c) => !allowed.has(c.path));
}

/**
 * lastAppliedUpdater: after an apply by `kubectl` on an object that carries the annotation,
 * the annotation becomes the applied configuration (without the annotation itself), so a
 * later client-side apply diffs against what was last applied. Dropped, as upstream's
 * SetLastApplied does, when it would take the annotations over their 256 KiB limit.
 */
export function updateLastApplied(merged: KubeObject, config: unknown): void {
  if (lastAppliedOf(merged) === undefined) return;
  const annotations = merged.metadata.annotations!;
  annotations[LAST_APPLIED_ANNOTATION] = buildLastApplied(config);
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) size += Buffer.byteLength(k) + Buffer.byteLength(v);
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) delete annotations[LAST_APPLIED_ANNOTATION];
}

/** buildLastApplied: the configuration less the annotation, encoded as kubectl encodes it. */
function buildLastApplied(config: unknown): string {
  const copy = structuredClone(config) as JsonMap;
  const annotations = annotationsOf(copy);
  if (annotations) delete annotations[LAST_APPLIED_ANNOTATION];
  return `${goJson(copy)}\n`;
}

/**
 * encoding/json's Marshal of decoded JSON: object keys sorted, and <, >, &, U+2028 and U+2029
 * escaped (its HTML-safe default), as both kubectl and the server write the annotation.
 */
export function goJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (isMap(v)) {
    const keys = Object.keys(v).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${keys.map((k) => `${goString(k)}:${goJson(v[k])}`).join(',')}}`;
  }
  if (typeof v === 'string') return goString(v);
  return JSON.stringify(v ?? null);
}

const HTML_UNSAFE: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => HTML_UNSAFE[c]);
}
