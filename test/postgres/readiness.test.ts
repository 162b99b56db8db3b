/**
 * The readiness check asks the store: an instance whose database does not answer is not ready (503, with the
 * reason), while the liveness check (health) still answers; it is ready again once the database answers.
 */
import { expect } from 'vitest';
import { useSandbox } from '../support/fixtures.ts';
import type { RunningSandbox } from '../support/sandbox.ts';
import { schemaOf, withTestDatabase } from '../support/store.ts';

// A sandbox of its own: the test takes its schema away from under it.
const it = useSandbox({}, { per: 'test' });

/** The status of a probe, asked in-process (`inject`): what is under test is the store's answer, not the socket. */
const probe = async (sandbox: RunningSandbox, path: string) => (await sandbox.app.inject(path)).statusCode;

it('answers 503 naming the store while the database cannot serve this sandbox, 200 again once it can', async ({
  sandbox,
}) => {
  expect(await probe(sandbox, '/_sandbox/ready')).toBe(200);
  const schema = schemaOf(sandbox.store.location);
  await withTestDatabase((client) => client.query(`ALTER SCHEMA "${schema}" RENAME TO "${schema}_away"`));
  try {
    const ready = await sandbox.app.inject('/_sandbox/ready');
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({
      ready: false,
      reason: expect.stringMatching(/^the store does not answer: /),
    });
    expect(await probe(sandbox, '/_sandbox/health')).toBe(200);
  } finally {
    await withTestDatabase((client) => client.query(`ALTER SCHEMA "${schema}_away" RENAME TO "${schema}"`));
  }
  expect(await probe(sandbox, '/_sandbox/ready')).toBe(200);
});
