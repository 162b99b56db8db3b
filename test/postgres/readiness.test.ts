/**
 * The readiness check asks the store: an instance whose database does not answer is not ready (503, with the
 * reason), while the liveness check (health) still answers; it is ready again once the database answers.
 */
import { afterAll, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../support/sandbox.ts';
import { schemaOf, withTestDatabase } from '../support/store.ts';

let sandbox: RunningSandbox | undefined;
afterAll(() => sandbox?.close());

it('answers 503 naming the store while the database cannot serve this sandbox, 200 again once it can', async () => {
  sandbox = await startSandbox();
  const { origin } = sandbox;
  expect((await fetch(`${origin}/_sandbox/ready`)).status).toBe(200);
  const schema = schemaOf(sandbox.store.location);
  await withTestDatabase((client) => client.query(`ALTER SCHEMA "${schema}" RENAME TO "${schema}_away"`));
  try {
    const ready = await fetch(`${origin}/_sandbox/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      ready: false,
      reason: expect.stringMatching(/^the store does not answer: /),
    });
    expect((await fetch(`${origin}/_sandbox/health`)).status).toBe(200);
  } finally {
    await withTestDatabase((client) => client.query(`ALTER SCHEMA "${schema}_away" RENAME TO "${schema}"`));
  }
  expect((await fetch(`${origin}/_sandbox/ready`)).status).toBe(200);
});
