/**
 * Writing an answer: a success body in the media type chosen for it, the vendor's own way (its writer, or its XML,
 * or JSON), and a refusal in the vendor's error shape from its `x-errors` catalogue entry.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VendorScope } from './app.ts';
import { answerMediaType, successMediaTypes } from './checks.ts';
import type { VendorError } from './errors.ts';
import { isJsonMediaType, isXmlMediaType } from './media-type.ts';
import { renderVendorError } from './render-error.ts';
import type { RouteSpec } from './routes.ts';
import type { VendorDefinition } from './vendor-module.ts';

/** A success as the answering stage gives it: a body to write, or bytes already written. */
export type Answer =
  | { status: number; body: unknown; headers?: Record<string, string>; mediaType?: string }
  | { status: number; payload: string; contentType: string; headers?: Record<string, string> };

/** Sends an answer; a body is written in the media type the route offers for its status, as the vendor writes it. */
export function sendAnswer(
  definition: VendorDefinition,
  route: RouteSpec,
  answer: Answer,
  request: FastifyRequest,
  reply: FastifyReply,
  chosen?: string,
): FastifyReply {
  for (const [name, value] of Object.entries(answer.headers ?? {})) reply.header(name, value);
  // Bytes already written keep their Content-Type exactly (Fastify adds a charset to a JSON type sent as a string).
  if ('payload' in answer)
    return reply.code(answer.status).header('content-type', answer.contentType).send(Buffer.from(answer.payload));
  const offered = route.responseMediaTypes.get(String(answer.status)) ?? successMediaTypes(route);
  const mediaType =
    answer.mediaType ??
    (chosen && offered.includes(chosen) ? chosen : undefined) ??
    answerMediaType({ definition, request, route }, offered) ??
    'application/json';
  const root = route.responseXmlRoot.get(String(answer.status)) ?? 'result';
  const xml = isXmlMediaType(mediaType);
  // Already text (a documented XML example or HTML page the mock answers): as it is, unless the vendor writes XML
  // text its own way (with its own Content-Type).
  if (typeof answer.body === 'string' && !isJsonMediaType(mediaType) && !(xml && definition.writeBody))
    return reply.code(answer.status).type(`${mediaType}; charset=utf-8`).send(answer.body);
  if (definition.writeBody) {
    const { payload, contentType } = definition.writeBody(answer.body, mediaType, root, request);
    return reply.code(answer.status).type(contentType).send(payload);
  }
  if (xml && definition.toXml)
    return reply.code(answer.status).type(`${mediaType}; charset=utf-8`).send(definition.toXml(answer.body, root));
  return reply
    .code(answer.status)
    .type(`${mediaType.includes('json') ? mediaType : 'application/json'}; charset=utf-8`)
    .send(JSON.stringify(answer.body));
}

/** Sends a refusal in the vendor's shape: the catalogue's status, the vendor's body and headers (render-error.ts). */
export function sendRefusal(
  { definition, catalogue, doc }: Pick<VendorScope, 'definition' | 'catalogue' | 'doc'>,
  error: VendorError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const route = request.routeOptions.config?.vendorRoute;
  const context = { request, doc, ...(route ? { route } : {}) };
  const answer = renderVendorError(definition, catalogue.get(error.key), error, context);
  for (const [name, value] of Object.entries(answer.headers)) reply.header(name, value);
  return reply.code(answer.status).type(answer.contentType).send(answer.payload);
}
