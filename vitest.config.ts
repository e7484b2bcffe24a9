import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.spec.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 600_000,
    // Lab tests share one fleet; running files in parallel on two cores buys little and fights over it.
    fileParallelism: false,
    reporters: ['default', './test/support/closing-line-reporter.ts'],
  },
});
