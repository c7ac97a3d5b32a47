import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // DynamoDB Local (Java) and CDK synthesis are slow to start on two cores; these are not timing assertions.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
