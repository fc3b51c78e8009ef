import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

// One runner for every suite: unit (engine, simulator, formats), conformance (OpenOCD
// against the virtual probe), renderer components (happy-dom) and end-to-end (Chromium).
export default defineConfig({
  plugins: [vue()],
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // .ci/run asks for a JSON report beside the console output so it can print its own
    // one-line "N passed, N failed" summary without parsing vitest's text.
    reporters: process.env.SWIM_TEST_REPORT
      ? ['default', ['json', { outputFile: process.env.SWIM_TEST_REPORT }]]
      : ['default'],
  },
});
