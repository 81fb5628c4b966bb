import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Site builds and browser tests take seconds each; nothing here asserts on timing.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Two cores: forks keep memory per test file bounded.
    pool: 'forks',
  },
});
