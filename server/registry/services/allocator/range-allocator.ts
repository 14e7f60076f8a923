// A set of offsets 0..size-1 handed out one at a time (pkg/registry/core/service/allocator's
// bitmap with randomScanStrategyWithOffset): a chosen offset is taken if free; the next free one
// is picked at random, from the upper band [reserved, size) first so the lower band stays free
// for offsets clients ask for, then from the lower band.

/** calculateRangeOffset: min(max(lower, size/step), upper), none for ranges of `lower` or fewer. */
export function rangeOffset(size: number, lower: number, step: number, upper: number): number {
  if (size <= lower) return 0;
  return Math.min(Math.max(lower, Math.floor(size / step)), upper);
}

export class RangeAllocator {
  private readonly taken = new Set<number>();
  readonly size: number;
  /** The start of the band dynamic allocation prefers. */
  readonly reserved: number;
  private readonly random: () => number;

  constructor(size: number, reserved: number, random: () => number = Math.random) {
    this.size = size;
    this.reserved = reserved;
    this.random = random;
  }

  has(offset: number): boolean {
    return this.taken.has(offset);
  }

  /** Takes `offset`; false when already taken. */
  allocate(offset: number): boolean {
    if (this.taken.has(offset)) return false;
    this.taken.add(offset);
    return true;
  }

  /** Picks a free offset (and takes it unless `dryRun`); undefined when the range is full. */
  allocateNext(dryRun = false): number | undefined {
    const found = this.scan(this.reserved, this.size) ?? this.scan(0, this.reserved);
    if (found !== undefined && !dryRun) this.taken.add(found);
    return found;
  }

  release(offset: number): void {
    this.taken.delete(offset);
  }

  get free(): number {
    return this.size - this.taken.size;
  }

  /** Forgets everything (the repair pass rebuilds from the stored objects). */
  clear(): void {
    this.taken.clear();
  }

  /** A free offset in [from, to), scanning on from a random start and wrapping. */
  private scan(from: number, to: number): number | undefined {
    const width = to - from;
    if (width <= 0) return undefined;
    const start = Math.floor(this.random() * width);
    for (let i = 0; i < width; i++) {
      const offset = from + ((start + i) % width);
      if (!this.taken.has(offset)) return offset;
    }
    return undefined;
  }
}
