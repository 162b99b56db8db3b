/**
 * Run by vitest's `postgres` project instead of the PostgreSQL tests when no PostgreSQL answers (vitest.config.ts):
 * says why and how to run them, and lists them as skipped. Under CI they must run, so there this fails.
 */
import { describe, expect, it } from 'vitest';
import { POSTGRES_TEST_COMMAND } from '../support/store.ts';

const reason = process.env.POSTGRES_TESTS_SKIPPED ?? 'no PostgreSQL';
const files = (process.env.POSTGRES_TESTS ?? '').split(',').filter(Boolean);
const how = `run them with \`${POSTGRES_TEST_COMMAND}\` (it starts a throwaway PostgreSQL), or set TEST_POSTGRES_URL`;

console.warn(`PostgreSQL tests skipped: ${reason}; ${how}`);

describe(`the sandbox on PostgreSQL: skipped, ${reason}; ${how}`, () => {
  if (process.env.CI) {
    it('runs in CI', () => {
      expect.fail(`CI must run the PostgreSQL tests: ${reason}`);
    });
  }
  for (const file of files) it.skip(file);
});
