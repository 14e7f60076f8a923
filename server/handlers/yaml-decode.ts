// YAML request bodies to JSON values, as upstream's sigs.k8s.io/yaml converts them, bounded:
// nesting is checked before parsing (machinery/body-scan.ts), aliases are capped (billion laughs),
// duplicate keys are found in one pass (the yaml library's own check is quadratic in the keys of
// a map), and an error names the line, column and kind of problem, never the text around it
// (a Secret's value sits next to most syntax errors).
import YAML, { type YAMLError, isMap, isScalar, isNode } from 'yaml';
import { type BodyScanError, MAX_NESTING_DEPTH, checkYamlDepth, lineColumn } from '../../machinery/body-scan.js';

/** Alias expansions one document may make; the yaml library's default, stated. */
export const MAX_ALIAS_COUNT = 100;

export type YamlDecodeResult = { ok: true; value: unknown } | { ok: false; error: BodyScanError };

function errorAt(text: string, offset: number, reason: string, tooDeep = false): YamlDecodeResult {
  const { line, column } = lineColumn(text, offset);
  return { ok: false, error: { offset, line, column, reason, tooDeep } };
}

/** The kind of a yaml library error in words ("BAD_INDENT" → "bad indent"): its message may quote the input. */
function reasonOf(err: YAMLError): string {
  return err.code.toLowerCase().replace(/_/g, ' ');
}

/** Parses one YAML document; runs on the main thread for small bodies, in a worker for large ones. */
export function decodeYamlText(text: string, maxDepth = MAX_NESTING_DEPTH): YamlDecodeResult {
  const deep = checkYamlDepth(text, maxDepth);
  if (deep) return { ok: false, error: deep };
  let doc: YAML.Document.Parsed;
  try {
    doc = YAML.parseDocument(text, { uniqueKeys: false, prettyErrors: false });
  } catch (err) {
    return errorAt(text, 0, err instanceof YAML.YAMLError ? reasonOf(err) : 'invalid YAML');
  }
  const first = doc.errors[0];
  if (first) return errorAt(text, first.pos[0], reasonOf(first));
  const duplicate = findDuplicateKey(doc);
  if (duplicate !== undefined) return errorAt(text, duplicate, 'duplicate key');
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (err) {
    const excessive = /alias/i.test((err as Error).message);
    return errorAt(text, 0, excessive ? `excessive aliasing (more than ${MAX_ALIAS_COUNT} alias expansions)` : 'unresolved alias');
  }
}

/** The offset of the first key that repeats within its mapping (scalar keys), in one pass. */
function findDuplicateKey(doc: YAML.Document.Parsed): number | undefined {
  let found: number | undefined;
  YAML.visit(doc, {
    Map(_key, map) {
      if (!isMap(map)) return;
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = pair.key;
        if (!isScalar(key)) continue;
        const id = `${typeof key.value}:${String(key.value)}`;
        if (seen.has(id)) {
          found = isNode(key) && key.range ? key.range[0] : 0;
          return YAML.visit.BREAK;
        }
        seen.add(id);
      }
      return undefined;
    },
  });
  return found;
}
