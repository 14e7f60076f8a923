#!/usr/bin/env node
// The installed entry point: runs the compiled CLI (npm run build makes dist/).
import('../dist/cmd/jobyard.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cmd/jobyard.js')) {
    console.error('jobyard is not built yet: run `npm run build` (or scripts/setup.sh) first.');
    process.exit(1);
  }
  throw err;
});
