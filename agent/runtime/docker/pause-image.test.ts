import { describe, expect, it } from 'vitest';
import { isStaticELF, pauseImageChanges } from './pause-image.js';

/** A minimal little-endian ELF64 header followed by program headers of the given types. */
function elf64(programHeaderTypes: number[]): Buffer {
  const phoff = 64;
  const phentsize = 56;
  const b = Buffer.alloc(phoff + phentsize * programHeaderTypes.length);
  b.writeUInt32BE(0x7f454c46, 0);
  b[4] = 2; // ELFCLASS64
  b[5] = 1; // little endian
  b.writeBigUInt64LE(BigInt(phoff), 32);
  b.writeUInt16LE(phentsize, 54);
  b.writeUInt16LE(programHeaderTypes.length, 56);
  programHeaderTypes.forEach((t, i) => b.writeUInt32LE(t, phoff + i * phentsize));
  return b;
}

describe('isStaticELF', () => {
  it('accepts an executable without PT_INTERP and rejects one with it', () => {
    const PT_LOAD = 1;
    const PT_INTERP = 3;
    expect(isStaticELF(elf64([PT_LOAD, PT_LOAD]))).toBe(true);
    expect(isStaticELF(elf64([PT_LOAD, PT_INTERP, PT_LOAD]))).toBe(false);
    expect(isStaticELF(Buffer.from('#!/bin/sh\necho not an ELF file at all, just a script\n'))).toBe(false);
  });
});

describe('pauseImageChanges', () => {
  it('sets an exec-form ENTRYPOINT that survives JSON quoting', () => {
    const [entrypoint] = pauseImageChanges();
    expect(entrypoint.startsWith('ENTRYPOINT [')).toBe(true);
    expect(JSON.parse(entrypoint.slice('ENTRYPOINT '.length))[3]).toContain("trap 'exit 0' TERM INT");
  });
});
