import type { CatalogueEntry, VendorError } from './errors.ts';
import type { ErrorContext, VendorDefinition } from './vendor-module.ts';

/** An error answer as written on the wire: the catalogue entry's status, the vendor's headers, body and type. */
export interface RenderedAnswer {
  status: number;
  headers: Record<string, string>;
  contentType: string;
  payload: string;
}

/**
 * The one rendering of a vendor's error: the catalogue entry (its status and fields) and the error's details through
 * the vendor's `renderError`, the error's own headers (`Allow`) over the vendor's. Used by the pipeline for every
 * refusal (reply.ts) and by the validating proxy for the answers it gives itself when the upstream fails.
 */
export function renderVendorError(
  definition: VendorDefinition,
  entry: CatalogueEntry,
  error: VendorError,
  context: ErrorContext,
): RenderedAnswer {
  const rendered = definition.renderError(entry, error.details, context);
  return {
    status: entry.status,
    headers: { ...rendered.headers, ...error.headers },
    contentType: rendered.contentType ?? 'application/json; charset=utf-8',
    payload: typeof rendered.body === 'string' ? rendered.body : JSON.stringify(rendered.body),
  };
}
