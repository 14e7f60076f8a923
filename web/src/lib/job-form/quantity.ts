// The two quantity shapes the wizard edits: CPU in millicores, memory as an amount and a unit.
// (The console may import only api/ types, so this is a small reader of resource.Quantity text.)

const DECIMAL_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX = new Set(['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei']);

/** Memory units offered by the wizard (Gi, Mi, Ki: docs/product.md#resource-limits). */
export const MEMORY_UNITS = ['Mi', 'Gi', 'Ki'] as const;

/**
 * CPU text to whole millicores ("500m" → 500, "0.25" → 250, "2" → 2000); undefined when the text
 * is not a quantity or not a whole number of millicores ("100u", "0.0005").
 */
export function cpuToMillicores(text: string | number | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^([+]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(n|u|m|k|M|G|T|P|E|)$/.exec(String(text).trim());
  if (!m) return undefined;
  const [intPart, frac = ''] = m[2].split('.');
  const exp = DECIMAL_SUFFIX[m[3]] + 3; // to milli
  // value = (int.frac) · 10^exp, computed on digit strings to stay exact
  const digits = (intPart || '0') + frac;
  const shift = exp - frac.length;
  let v: bigint;
  if (shift >= 0) v = BigInt(digits) * 10n ** BigInt(shift);
  else {
    const d = 10n ** BigInt(-shift);
    const n = BigInt(digits);
    if (n % d !== 0n) return undefined;
    v = n / d;
  }
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return Number(v);
}

/** Memory text split into an amount and its suffix ("128Mi" → {128, 'Mi'}, "1G" → {1, 'G'}, "1048576" → {1048576, ''}). */
export function parseMemory(text: string | number | undefined): { amount: number; unit: string } | undefined {
  if (text === undefined) return undefined;
  const m = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|)$/.exec(String(text).trim());
  if (!m) return undefined;
  const amount = Number(m[1]);
  // Keep only texts that print back identically ("0.50Mi" or "007Mi" would not).
  if (!Number.isFinite(amount) || String(amount) !== m[1]) return undefined;
  return { amount, unit: m[2] };
}

export function isBinaryUnit(unit: string): boolean {
  return BINARY_SUFFIX.has(unit);
}
