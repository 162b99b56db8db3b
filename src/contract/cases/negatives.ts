/**
 * Negative cases per operation: every one expects a 4xx in the vendor's own error shape. A case that breaks a schema
 * check carries the rule linked to it (`keyword` + `fields` of x-rules; body-fields.ts), path-<param>-invalid the rule
 * of the keyword the malformed parameter fails (auth-and-url.ts).
 */
import {
  listOperations,
  listSamples,
  type OpenApiDocument,
  requestSchemaPointer,
  resolvePointer,
  type Sample,
} from '../../spec/index.ts';
import type { ContractCase } from '../cases.ts';
import { authNegatives, pathNegatives, unknownActionNegatives } from './auth-and-url.ts';
import { fieldNegatives } from './body-fields.ts';
import { formatNegatives } from './body-formats.ts';
import { type Negative, type NegativeTarget, negativeCase, negativeTargets } from './negative-target.ts';
import { flatten } from './schemas.ts';

/** The cases about the body: only for an operation with a JSON body schema and a valid body to break. */
function bodyNegatives(t: NegativeTarget): Negative[] {
  const pointer = requestSchemaPointer(t.doc, t.located, 'application/json');
  if (!pointer || !t.base) return [];
  const schema = flatten(t.doc, resolvePointer(t.doc, pointer));
  return [...fieldNegatives(t, t.base, schema), ...formatNegatives(t)];
}

/** Every negative case of one target, in order: credential, URL, body. */
function targetNegatives(t: NegativeTarget): ContractCase[] {
  return [...authNegatives(t), ...pathNegatives(t), ...unknownActionNegatives(t), ...bodyNegatives(t)].map((n) =>
    negativeCase(t, n),
  );
}

/** The negative cases of every operation (and iVvy action) of a vendor's spec. */
export function negativeCases(vendor: string, doc: OpenApiDocument, samples: Sample[] = listSamples()): ContractCase[] {
  const vendorSamples = samples.filter((s) => s.vendor === vendor);
  return listOperations(doc).flatMap((entry) =>
    negativeTargets(vendor, doc, entry, vendorSamples).flatMap(targetNegatives),
  );
}
