import { isXmlMediaType } from '../server/media-type.ts';
import type { Located, OpenApiDocument, SpecValidator } from '../spec/index.ts';
import { response as findResponse, responseSchemaPointer } from '../spec/index.ts';
import {
  type IHttpRequest,
  mockConfig,
  type PrismInstance,
  type Resource,
  type ResourceContent,
  runPrism,
} from './prism.ts';
import { pruneToValid } from './repair.ts';

/** The key of an example the mock generated at start-up for a response the spec gives none. */
export const generatedExampleKey = 'generated';

const family = (mediaType: string) => (isXmlMediaType(mediaType) ? 'xml' : /json/.test(mediaType) ? 'json' : mediaType);

/**
 * Gives every response media type an example, once, at start-up, so that a static answer is always a fixed,
 * valid one. A media type without examples takes those of a sibling with the same schema (`text/json` answers
 * the `application/json` examples, under the same names, so `Prefer: example=` works for both; an XML media type
 * takes JSON examples too, written as XML when answered, so an Odyssee error answers its documented example
 * in XML as well); otherwise the
 * mock asks Prism for its static sample and prunes what breaks the schema (Prism's sampler fills every optional
 * property and stubs recursive ones with objects that miss required fields). Returns what it could not make valid.
 */
export async function fillExamples(
  prism: PrismInstance,
  doc: OpenApiDocument,
  resource: Resource,
  located: Located,
  validator: SpecValidator,
  /** Samples already made, by response pointer and media type: operations share component responses. */
  made = new Map<string, unknown>(),
): Promise<string[]> {
  const filling: Filling = { prism, doc, resource, located, validator, made, problems: [] };
  for (const response of resource.responses) {
    const documented = /^\d{3}$/.test(response.code) ? findResponse(doc, located, response.code) : undefined;
    for (const content of response.contents ?? []) {
      if (content.examples && content.examples.length > 0) continue;
      const examples =
        borrowedExamples(filling, response, documented, content) ??
        (await generatedExamples(filling, response, documented, content));
      if (examples) content.examples = examples;
    }
  }
  return filling.problems;
}

/** One resource's filling: what it reads, the samples made so far, and the responses it could not make valid. */
interface Filling {
  prism: PrismInstance;
  doc: OpenApiDocument;
  resource: Resource;
  located: Located;
  validator: SpecValidator;
  made: Map<string, unknown>;
  problems: string[];
}

type PrismResponse = Resource['responses'][number];
type Documented = ReturnType<typeof findResponse>;

/**
 * The examples of a sibling media type with the same schema (the same family first; JSON values for XML), or, for
 * an XML answer whose schema differs from the JSON one only by JSON's annotations (Odyssee's `@odata.context`, which
 * XML does not carry), the JSON examples without them, when they then fit its schema.
 */
function borrowedExamples(
  filling: Filling,
  response: PrismResponse,
  documented: Documented,
  content: ResourceContent,
): ResourceContent['examples'] | undefined {
  const contents = response.contents ?? [];
  const schemaOf = (mediaType: string) => JSON.stringify(documented?.response.content?.[mediaType]?.schema ?? null);
  const same = (c: ResourceContent) =>
    c !== content && (c.examples?.length ?? 0) > 0 && schemaOf(c.mediaType) === schemaOf(content.mediaType);
  const xml = family(content.mediaType) === 'xml';
  const sibling =
    contents.find((c) => same(c) && family(c.mediaType) === family(content.mediaType)) ??
    // An XML media type may answer the JSON examples: they are values, written as XML on the way out.
    (xml ? contents.find((c) => same(c) && family(c.mediaType) === 'json' && c.examples?.every(isValue)) : undefined);
  if (sibling?.examples) return sibling.examples;
  const { doc, located, validator } = filling;
  const xmlPointer =
    xml && /^\d{3}$/.test(response.code)
      ? responseSchemaPointer(doc, located, response.code, content.mediaType)
      : undefined;
  return xmlPointer ? jsonExamplesFor(contents, validator, xmlPointer) : undefined;
}

/** Prism's static sample, pruned to the schema, made once per response and media type. */
async function generatedExamples(
  filling: Filling,
  response: PrismResponse,
  documented: Documented,
  content: ResourceContent,
): Promise<ResourceContent['examples'] | undefined> {
  if (!content.schema || !/^\d{3}$/.test(response.code)) return undefined;
  const key = `${documented?.pointer}|${content.mediaType}`;
  let value = filling.made.get(key);
  if (value === undefined) {
    const sample = await validSample(filling, response.code, content);
    if (!sample) return undefined;
    value = sample.value;
    filling.made.set(key, value);
  }
  const { resource } = filling;
  return [{ id: `${resource.id}-${response.code}-${content.mediaType}`, key: generatedExampleKey, value }];
}

/** Prism's sample with what breaks the schema pruned; a sample that stays invalid is listed among the problems. */
async function validSample(
  filling: Filling,
  code: string,
  content: ResourceContent,
): Promise<{ value: unknown } | undefined> {
  const { prism, doc, resource, located, validator } = filling;
  const sample = await staticSample(prism, resource, code, content);
  if (sample === undefined) return undefined;
  const pointer = responseSchemaPointer(doc, located, code, content.mediaType);
  const result = pointer ? pruneToValid(sample, validator.at(pointer)) : { value: sample, valid: true };
  if (!result.valid)
    filling.problems.push(`${resource.method.toUpperCase()} ${resource.path} ${code} ${content.mediaType}`);
  return { value: result.value };
}

/** The JSON examples of a response without their `@…` annotations, when every one fits the XML schema. */
function jsonExamplesFor(
  contents: readonly ResourceContent[],
  validator: SpecValidator,
  pointer: string,
): ResourceContent['examples'] | undefined {
  const json = contents.find((c) => family(c.mediaType) === 'json' && (c.examples?.length ?? 0) > 0);
  if (!json?.examples?.every((e) => isValue(e))) return undefined;
  const validate = validator.at(pointer);
  const examples = json.examples.map((e) => {
    const value = withoutAnnotations((e as { value: object }).value);
    // An OData collection (`{"@odata.context", "value": [...]}`) is the bare list in XML.
    const list = Object.keys(value).length === 1 && Array.isArray((value as { value?: unknown }).value);
    return { ...e, value: list && !validate(value) ? (value as { value: unknown[] }).value : value };
  });
  return examples.every((e) => validate(e.value)) ? (examples as ResourceContent['examples']) : undefined;
}

const withoutAnnotations = (value: object): object =>
  Object.fromEntries(Object.entries(value).filter(([key]) => !key.startsWith('@')));

const isValue = (example: object) => 'value' in example && typeof example.value === 'object' && example.value !== null;

async function staticSample(
  prism: PrismInstance,
  resource: Resource,
  code: string,
  content: ResourceContent,
): Promise<unknown> {
  const request: IHttpRequest = {
    method: resource.method as IHttpRequest['method'],
    url: { path: resource.path.replace(/\{[^}]+\}/g, 'x') },
    headers: { accept: content.mediaType },
  };
  const config = mockConfig(
    { errors: false, validateRequest: false, validateResponse: false, checkSecurity: false },
    { code: Number(code), mediaTypes: [content.mediaType] },
  );
  const result = await runPrism(prism, request, [resource], config);
  if (result._tag === 'Left' || String(result.right.output.statusCode) !== code) return undefined;
  return result.right.output.body;
}
