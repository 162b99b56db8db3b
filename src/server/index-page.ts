/**
 * `GET /` of the sandbox and the mock: what this server is, each vendor's prefix and base URL, its spec, and the
 * server's own endpoints. JSON by default; HTML to a browser (`Accept: text/html` ranked first). Each vendor's bundled
 * spec is served at `<base>/openapi/<vendor>.json`, for a client to import (Postman, openapi-generator) without a clone.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { VendorScope } from './app.ts';
import { negotiate } from './negotiate.ts';

export interface IndexOptions {
  /** `reference sandbox`, `mock`. */
  readonly server: string;
  /** What it does, one sentence. */
  readonly description: string;
  /** Where its own endpoints live (`/_sandbox`, `/_mock`): the specs are served under it. */
  readonly base: string;
  /** The server's own endpoints: what each is, by `METHOD path`. */
  readonly endpoints: Readonly<Record<string, string>>;
}

interface IndexVendor {
  name: string;
  title: string;
  version: string;
  prefix: string;
  baseUrl: string;
  spec: string;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const origin = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

export function registerIndex(app: FastifyInstance, scopes: readonly VendorScope[], options: IndexOptions): void {
  const specPath = (name: string) => `${options.base}/openapi/${name}.json`;
  const vendorsOf = (request: FastifyRequest): IndexVendor[] =>
    scopes.map((s) => ({
      name: s.definition.name,
      title: s.doc.info.title,
      version: s.doc.info.version,
      prefix: s.prefix,
      baseUrl: `${origin(request)}${s.prefix}`,
      spec: `${origin(request)}${specPath(s.definition.name)}`,
    }));

  app.get('/', async (request, reply) => {
    const vendors = vendorsOf(request);
    const endpoints = {
      ...options.endpoints,
      [`GET ${options.base}/openapi/<vendor>.json`]: "a vendor's spec, bundled into one document",
    };
    if (negotiate(request.headers.accept, ['application/json', 'text/html']) === 'text/html')
      return reply.type('text/html; charset=utf-8').send(html(options, vendors, endpoints));
    return { server: options.server, description: options.description, vendors, endpoints };
  });

  for (const scope of scopes)
    app.get(specPath(scope.definition.name), async (_request, reply) =>
      reply.type('application/json; charset=utf-8').send(JSON.stringify(scope.doc)),
    );
}

function html(options: IndexOptions, vendors: readonly IndexVendor[], endpoints: Record<string, string>): string {
  const rows = vendors
    .map(
      (v) =>
        `<tr><td>${esc(v.title)} <small>${esc(v.version)}</small></td><td><code>${esc(v.baseUrl)}</code></td><td><a href="${esc(v.spec)}">${esc(v.name)}.json</a></td></tr>`,
    )
    .join('\n');
  const own = Object.entries(endpoints)
    .map(([route, what]) => `<li><code>${esc(route)}</code>: ${esc(what)}</li>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(options.server)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}td,th{padding:.25rem .75rem;text-align:left}</style>
</head><body>
<h1>${esc(options.server)}</h1>
<p>${esc(options.description)}</p>
<table><thead><tr><th>vendor</th><th>base URL</th><th>spec</th></tr></thead><tbody>
${rows}
</tbody></table>
<h2>Endpoints</h2>
<ul>
${own}
</ul>
</body></html>
`;
}
