import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // DynamoDB Local (Java) and CDK synthesis are slow to start on two cores; these are not timing assertions.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Vitest's default is one worker per core less one: a single worker on these two-core machines. The
    // integration files mostly wait (on Java, on HTTP), so two at a time nearly halve the wall time.
    maxWorkers: 2,
    // Handlers read their resource names at module scope, as on Lambda. Tests that run the local runtime
    // set their own values before importing anything.
    env: {
      TABLE_NAME: 'programme-test',
      CPR_KEY_ID: 'arn:aws:kms:eu-north-1:000000000000:key/cpr',
      CITIZEN_HASH_KEY_ID: 'arn:aws:kms:eu-north-1:000000000000:key/citizen-hash',
      PHASE_TIMER_STATE_MACHINE_ARN: 'arn:aws:states:eu-north-1:000000000000:stateMachine:PhaseTimer',
      PAYMENT_STATE_MACHINE_ARN: 'arn:aws:states:eu-north-1:000000000000:stateMachine:Payment',
      SUSTAINMENT_STATE_MACHINE_ARN: 'arn:aws:states:eu-north-1:000000000000:stateMachine:Sustainment',
      FINANCE_TOPIC_ARN: 'arn:aws:sns:eu-north-1:000000000000:finance',
      AWS_REGION: 'eu-north-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      LOG_LEVEL: 'ERROR',
    },
  },
});
