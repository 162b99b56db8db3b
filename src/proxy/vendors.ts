/**
 * What the proxy knows of each vendor it stands in front of, all of it read from the spec and the vendor's
 * definition (passed in: the proxy imports no vendor): the error catalogue, the contract suite's response
 * validators, the credentials its security schemes name, and where the vendor's upstream is.
 */
import { ErrorCatalogue } from '../server/errors.ts';
import type { VendorDefinition } from '../server/vendor-module.ts';
import { localPrefix, type OpenApiDocument, SpecValidator } from '../spec/index.ts';

export interface ProxyVendor {
  name: string;
  title: string;
  definition: VendorDefinition;
  doc: OpenApiDocument;
  catalogue: ErrorCatalogue;
  /** Our local prefix (`/odyssee`): the proxy listens under it. */
  prefix: string;
  /** Where its traffic goes: `http://127.0.0.1:3000/odyssee` (--target) or the vendor's own base URL. */
  upstream: URL;
  validators: { strict: SpecValidator; coercing: SpecValidator };
  /** Credentials the spec's security schemes name, to redact: header names (lower-case), query and cookie names. */
  secrets: { headers: Set<string>; query: Set<string>; cookies: Set<string> };
}

export function proxyVendor(definition: VendorDefinition, doc: OpenApiDocument, upstream: string): ProxyVendor {
  return {
    name: definition.name,
    title: doc.info.title,
    definition,
    doc,
    catalogue: new ErrorCatalogue(doc),
    prefix: localPrefix(doc),
    upstream: new URL(upstream),
    validators: {
      strict: new SpecValidator(definition.name, doc),
      coercing: new SpecValidator(definition.name, doc, { coerceTypes: true }),
    },
    secrets: securityNames(doc),
  };
}

/** Header, query and cookie names that carry a credential in this spec's security schemes, plus HTTP auth. */
function securityNames(doc: OpenApiDocument): ProxyVendor['secrets'] {
  const secrets = {
    headers: new Set(['authorization', 'proxy-authorization']),
    query: new Set<string>(),
    cookies: new Set<string>(),
  };
  const schemes = (
    doc.components as { securitySchemes?: Record<string, { type?: string; in?: string; name?: string }> } | undefined
  )?.securitySchemes;
  for (const scheme of Object.values(schemes ?? {})) {
    if (scheme.type !== 'apiKey' || !scheme.name) continue;
    if (scheme.in === 'header') secrets.headers.add(scheme.name.toLowerCase());
    if (scheme.in === 'query') secrets.query.add(scheme.name);
    if (scheme.in === 'cookie') secrets.cookies.add(scheme.name);
  }
  return secrets;
}
