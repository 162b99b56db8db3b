import type { FastifyRequest } from 'fastify';
import { type CatalogueEntry, VendorError } from '../server/errors.ts';
import { type RenderedAnswer, renderVendorError } from '../server/render-error.ts';
import type { ProxyVendor } from './vendors.ts';

/**
 * The vendor's internal-error entry answered with another status (502 for an upstream that does not answer, 504
 * for one too slow) and the proxy's own message: the vendor's error shape, rendered by the vendor's module like
 * every other error. The entry's fields that carry its status (iVvy's `errorCode`) follow the new status.
 */
export function renderUpstreamError(
  vendor: ProxyVendor,
  status: 502 | 504,
  message: string,
  view: FastifyRequest,
): RenderedAnswer {
  const base = vendor.catalogue.get(vendor.definition.errorKeys.internal);
  const entry = Object.fromEntries(
    Object.entries(base).map(([k, v]) => [k, v === base.status ? status : v]),
  ) as unknown as CatalogueEntry;
  const error = new VendorError(base.key, [{ message }]);
  const context = { request: view, doc: vendor.doc };
  return renderVendorError(vendor.definition, { ...entry, status, message, key: base.key }, error, context);
}
