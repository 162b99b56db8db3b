import type { VendorDefinition } from '../../server/vendor-module.ts';
import { toXml, type XmlStyle, XSI } from '../../xml/build.ts';
import { authenticate } from './auth.ts';
import { odysseeClient } from './client.ts';
import { flows } from './flows.ts';
import { handlers } from './handlers.ts';
import { ruleBrokenBy } from './rules.ts';
import { seed } from './seed.ts';
import { settings } from './settings.ts';

/** .NET's DataContractSerializer: elements sorted by name, `xmlns:i` on the root, nulls as `i:nil`. */
const dataContract: XmlStyle = { alphabetical: true, dataContract: true };

/**
 * DataContract XML of an answer. An OData collection (`{"@odata.context", "value": [...]}`) answered under an
 * `ArrayOf<item>` root is written the .NET way: one `<item>` element per entry, the OData annotations left out.
 */
function dataContractXml(body: unknown, root: string): string {
  const items = (body as { value?: unknown } | null)?.value;
  if (!root.startsWith('ArrayOf') || !Array.isArray(items)) return toXml(body, root, dataContract);
  const item = root.slice('ArrayOf'.length);
  const namespace = ` xmlns:i="${XSI}"`;
  const inner = items.map((entry) => toXml(entry, item, dataContract).replace(namespace, '')).join('');
  return `<${root}${namespace}>${inner}</${root}>`;
}

/**
 * Odyssee Mobile: OData-style key paths, HTTP Basic `user:password@domain`, JSON or XML (DataContract) both ways,
 * errors in the OData v4 form the spec chooses (`x-errors` in specs/odyssee/openapi.yaml), each `details[].code`
 * the x-rules id of the rule the field breaks (ODataError x-choice), else the error's own code.
 */
export const odyssee: VendorDefinition = {
  name: 'odyssee',
  errorKeys: {
    validation: 'validation-failed',
    malformed: 'malformed-body',
    unauthorized: 'unauthorized',
    unsupportedMediaType: 'unsupported-media-type',
    payloadTooLarge: 'payload-too-large',
    notAcceptable: 'not-acceptable',
    routeNotFound: 'not-found',
    notImplemented: 'not-implemented',
    internal: 'internal-error',
  },
  renderError(entry, details, { route }) {
    const code = String(entry.code ?? entry.key);
    const rules = route?.entry.operation['x-rules'] ?? [];
    return {
      body: {
        error: {
          code,
          message: entry.message,
          ...(details.length > 0
            ? {
                details: details.map((d) => ({
                  code: ruleBrokenBy(rules, d) ?? code,
                  message: d.message,
                  ...(d.target ? { target: d.target } : {}),
                })),
              }
            : {}),
        },
      },
      ...(entry.status === 401 ? { headers: { 'www-authenticate': 'Basic realm="Odyssee"' } } : {}),
    };
  },
  security: { basicAuth: (request, { config }) => authenticate(request, config) },
  handlers,
  settings,
  client: odysseeClient,
  flows,
  seed,
  toXml: dataContractXml,
};
export { XSI };
