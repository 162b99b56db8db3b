import { expect } from 'vitest';
import { checkResponse } from '../../src/contract/check-response.ts';
import { loadSpec, SpecValidator } from '../../src/spec/index.ts';

const validators = new Map<string, { strict: SpecValidator; coercing: SpecValidator }>();

/** Asserts a fetch Response conforms to the spec for that operation (status, required headers, content type, body); returns the body. */
export async function expectConforms(vendor: string, operation: string, res: Response): Promise<string> {
  const doc = await loadSpec(vendor);
  let pair = validators.get(vendor);
  if (!pair) {
    pair = { strict: new SpecValidator(vendor, doc), coercing: new SpecValidator(vendor, doc, { coerceTypes: true }) };
    validators.set(vendor, pair);
  }
  const body = await res.text();
  const problems = checkResponse(doc, pair, operation, {
    status: res.status,
    contentType: res.headers.get('content-type') ?? undefined,
    headers: Object.fromEntries(res.headers),
    body,
  });
  expect(problems, `${operation} ${res.status}: ${body.slice(0, 500)}`).toEqual([]);
  return body;
}
