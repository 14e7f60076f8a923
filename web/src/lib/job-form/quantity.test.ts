import { describe, expect, it } from 'vitest';
import { hasTagOrDigest, joinImage, splitImage } from './image-ref.js';
import { cpuToMillicores, parseMemory } from './quantity.js';

describe('cpuToMillicores', () => {
  it.each([
    ['500m', 500],
    ['0.25', 250],
    ['2', 2000],
    ['1.5', 1500],
    ['.5', 500],
    ['1k', 1_000_000],
    [2, 2000],
    ['100u', undefined],
    ['0.0005', undefined],
    ['abc', undefined],
    ['1Mi', undefined],
    ['-1', undefined],
  ])('%s → %s', (text, m) => {
    expect(cpuToMillicores(text)).toBe(m);
  });
});

describe('parseMemory', () => {
  it.each([
    ['128Mi', { amount: 128, unit: 'Mi' }],
    ['1Gi', { amount: 1, unit: 'Gi' }],
    ['0.5Gi', { amount: 0.5, unit: 'Gi' }],
    ['512Ki', { amount: 512, unit: 'Ki' }],
    ['1G', { amount: 1, unit: 'G' }],
    ['1048576', { amount: 1048576, unit: '' }],
    ['1e9', undefined],
    ['1.50Mi', undefined],
    ['007Mi', undefined],
    ['12Xi', undefined],
  ])('%s → %j', (text, v) => {
    expect(parseMemory(text)).toEqual(v);
  });
});

describe('image references', () => {
  it.each([
    ['busybox', { image: 'busybox', tag: '' }],
    ['busybox:1.36', { image: 'busybox', tag: '1.36' }],
    ['registry.example.com:5000/team/app', { image: 'registry.example.com:5000/team/app', tag: '' }],
    ['registry.example.com:5000/team/app:v2', { image: 'registry.example.com:5000/team/app', tag: 'v2' }],
    ['app@sha256:0123', { image: 'app@sha256:0123', tag: '' }],
  ])('splits %s', (ref, parts) => {
    expect(splitImage(ref)).toEqual(parts);
  });

  it('appends the tag unless the name already carries a tag or digest', () => {
    expect(joinImage('busybox', 'latest')).toBe('busybox:latest');
    expect(joinImage('localhost:5000/busybox', '1.36')).toBe('localhost:5000/busybox:1.36');
    expect(joinImage('busybox:1.36', 'latest')).toBe('busybox:1.36');
    expect(joinImage('busybox', '')).toBe('busybox');
    expect(joinImage('', 'latest')).toBe('');
    expect(hasTagOrDigest('localhost:5000/busybox')).toBe(false);
  });
});
