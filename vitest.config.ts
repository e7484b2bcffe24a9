import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.spec.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 600_000,
    // Lab tests share one fleet; running files in parallel on two cores buys little and fights over it.
    fileParallelism: false,
    // Names the run for the shared lab fleet and stops the fleet at the end if the run started it.
    globalSetup: ['./test/support/lab-global-setup.ts'],
    reporters: ['default', './test/support/closing-line-reporter.ts'],
  },
});
