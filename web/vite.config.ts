import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The console is built into web/dist and served by `jobyard server` at `/`.
// In development (`npx vite web`) API, auth and cluster calls go to a running server.
const apiTarget = process.env.JOBYARD_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: Object.fromEntries(['/api', '/apis', '/auth', '/clusters', '/version'].map((p) => [p, { target: apiTarget, changeOrigin: false }])),
  },
});
