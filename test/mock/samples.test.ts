/**
 * Every documented request sample (mocks/ manifests), replayed against the mock: a sample documented as accepted
 * gets a success answer, one documented as rejected gets the status its manifest names, and every answer
 * conforms to the spec. Adding a sample under mocks/ adds a case here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningMock } from '../../src/mock/index.ts';
import { listSamples } from '../../src/spec/index.ts';
import { sampleRequest, startTestMock } from '../support/mock-client.ts';
import { expectConforms } from '../support/spec-check.ts';

const requests = listSamples().filter((s) => s.manifest.side === 'request' && s.manifest.expect);
const accepted = requests.filter((s) => s.manifest.expect?.outcome === 'accepted');
const rejected = requests.filter((s) => s.manifest.expect?.outcome === 'rejected');

let mock: RunningMock;
beforeAll(async () => {
  mock = await startTestMock();
});
afterAll(() => mock?.close());

describe('documented samples, replayed against the mock', () => {
  it('has samples of both outcomes to replay', () => {
    expect(accepted.length).toBeGreaterThan(0);
    expect(rejected.length).toBeGreaterThan(0);
    // Every generated answer the mock keeps is valid (the operations without a documented default answer are
    // listed apart, in missingExamples: test/mock/named-examples.test.ts).
    expect(mock.warnings.filter((w) => w.includes('no valid example'))).toEqual([]);
  });

  it.each(accepted.map((s) => [s.id, s] as const))(
    '%s is accepted with an answer that conforms',
    async (_id, sample) => {
      const request = await sampleRequest(sample);
      for (const accept of ['application/json', ...(sample.format === 'xml' ? ['application/xml'] : [])]) {
        const res = await fetch(`${mock.bases[sample.vendor]}${request.path}`, {
          method: request.method,
          headers: { ...request.headers, accept },
          body: request.body,
        });
        expect(res.status, `${accept}: ${res.headers.get('sl-violations')}`).toBeGreaterThanOrEqual(200);
        expect(res.status).toBeLessThan(300);
        expect(res.headers.get('sl-violations')).toBeNull();
        expect(res.headers.get('content-type')).toContain(accept);
        await expectConforms(sample.vendor, request.operation, res);
      }
    },
  );

  it.each(rejected.map((s) => [s.id, s] as const))(
    '%s is refused with the status its manifest documents',
    async (_id, sample) => {
      const request = await sampleRequest(sample);
      const res = await fetch(`${mock.bases[sample.vendor]}${request.path}`, {
        method: request.method,
        headers: request.headers,
        body: request.body,
      });
      expect(res.status).toBe(sample.manifest.expect?.status);
      const violations = JSON.parse(res.headers.get('sl-violations') ?? '[]') as { location: string[] }[];
      expect(violations.some((v) => v.location[0] === 'request' && v.location[1] === 'body')).toBe(true);
      await expectConforms(sample.vendor, request.operation, res);
    },
  );
});
