// What antd needs from a browser that jsdom lacks; imported first by component tests.
import { afterEach, vi } from 'vitest';
import { cleanup, configure } from '@testing-library/react';
import { installFastComputedStyle } from './computed-style.js';

if (!window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false,
    }) as MediaQueryList;
}
if (!('ResizeObserver' in window)) {
  (window as unknown as { ResizeObserver: unknown }).ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}
installFastComputedStyle();

afterEach(() => cleanup());

// antd's first render in jsdom is slow on a busy machine.
vi.setConfig({ testTimeout: 60_000 });
configure({ asyncUtilTimeout: 15_000 });
