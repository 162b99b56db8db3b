/** One case per request-side sample of mocks/: sent as-is, with the outcome its manifest expects. */
import { findOperation, listSamples, type OpenApiDocument, type Sample } from '../../spec/index.ts';
import type { ContractCase } from '../cases.ts';
import { contentHeaders, fillPath, withQuery } from './requests.ts';

function sampleCase(vendor: string, doc: OpenApiDocument, sample: Sample): ContractCase {
  const { manifest } = sample;
  const located = findOperation(doc, manifest.operation);
  if (!located) throw new Error(`${sample.id}: no operation ${manifest.operation} in the ${vendor} spec`);
  const path = withQuery(fillPath(located.entry.path, manifest.replay?.path), manifest.replay?.query);
  const rejected = manifest.expect?.outcome === 'rejected';
  const body = sample.bytes;
  return {
    id: `${vendor}/${manifest.operation}/sample/${sample.id.split('/').pop()}`,
    vendor,
    operation: manifest.operation,
    kind: 'sample',
    title: `${rejected ? 'rejects' : 'accepts'} the documented sample ${sample.id}`,
    ...(manifest.expect?.rule ? { rule: manifest.expect.rule } : {}),
    fields: sample.format === 'json' ? Object.keys(JSON.parse(body.toString('utf8')) as object) : [],
    // A documented-invalid sample is refused by the schema (the mock can do that) or by a server rule.
    needs: rejected ? ['vendor-errors'] : [],
    steps: [
      {
        operation: manifest.operation,
        request: () => ({
          method: located.entry.method.toUpperCase(),
          path,
          headers: contentHeaders(manifest.mediaType),
          body,
        }),
        auth: 'partner',
        expect: manifest.expect?.status ? { kind: 'status', status: manifest.expect.status } : { kind: 'success' },
      },
    ],
  };
}

/** One case per request-side sample of a vendor: sent as-is, with the outcome its manifest expects. */
export function sampleCases(vendor: string, doc: OpenApiDocument, samples: Sample[] = listSamples()): ContractCase[] {
  return samples
    .filter((s) => s.vendor === vendor && s.manifest.side === 'request')
    .map((sample) => sampleCase(vendor, doc, sample));
}
