/**
 * The vendor pages' own request samples, sent byte for byte as a client that copied them would, with the content
 * types of https://developers.odysseemobile.com/Documentation/HelpGuide/DataFormats (charset included). mirrors the
 * help pages developers.odysseemobile.com/Help/Api/PUT-api-Task(id) (seed 000), PUT-api-Jobs(id) (seed 004) and
 * serviceappapi-dev.odysseemobile.com/Help/Api/POST-api-TaskActivityLog-Save (seed 003, JSON and XML): what the
 * manifest says a conforming server does, the sandbox does and the mock does.
 */
import { describe, expect } from 'vitest';
import { findOperation, listSamples, loadSpec } from '../../../src/spec/index.ts';
import { useSandboxAndMock } from '../../support/fixtures.ts';
import { odysseeAuthorization, send } from './client.ts';

// One sandbox and one mock for the file: each test that writes does so as a partner of its own.
const it = useSandboxAndMock();

const requests = listSamples().filter((s) => s.vendor === 'odyssee' && s.manifest.side === 'request');

describe.each(requests.map((s) => [s.id, s] as const))('%s', (id, sample) => {
  const format = sample.format === 'xml' ? ('xml' as const) : ('json' as const);
  const want = sample.manifest.expect?.status;

  async function request() {
    const located = findOperation(await loadSpec('odyssee'), sample.manifest.operation);
    const params = sample.manifest.replay?.path ?? {};
    const path = (located?.entry.path ?? '').replace(/\{(\w+)\}/g, (_m, name: string) => String(params[name]));
    return {
      method: located?.entry.method.toUpperCase() ?? 'PUT',
      path,
      body: sample.bytes.toString('utf8'),
      format,
      accept: format === 'xml' ? 'application/xml' : 'application/json',
    };
  }

  it(`the sandbox answers ${want}`, async ({ sandbox }) => {
    const res = await send(sandbox.base.odyssee as string, {
      ...(await request()),
      authorization: odysseeAuthorization(`sandbox+${id.replace(/\W+/g, '-')}`, 'sandbox', 'SANDBOX'),
    });
    expect(res.status).toBe(want);
    if (format === 'xml') expect(await res.text()).toMatch(/^<task_activity_log xmlns:i=/);
  });

  it(`the mock answers ${want}`, async ({ mock }) => {
    const res = await send(mock.bases.odyssee as string, await request());
    expect(res.status, res.headers.get('sl-violations') ?? '').toBe(want);
  });
});
