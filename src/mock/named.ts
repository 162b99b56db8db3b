/**
 * `Prefer: example=<name>` (or `__example=<name>`): which answer a name stands for. A name is a response example of
 * any documented response of the operation (or of the iVvy action's own view), answered with that response's
 * status; or a request example of the operation, answered with the response example of the same name
 * (specs/README.md: every request example `<operationId>-<case>` has one), which is the first case, since the
 * response example is then found by name. A request example the spec gives no answer of its own is answered as
 * that request would be (`fallback`). Any other name is unknown: Prism's "example not found" (404), listing the
 * names the operation has.
 */
import { generatedExampleKey } from './fill.ts';
import type { Resource } from './prism.ts';

export type NamedExample =
  | { kind: 'response'; status: number; key: string }
  | { kind: 'request'; mediaType: string; value: unknown }
  | { kind: 'unknown'; names: string[] };

/** Every name `Prefer: example=` takes for this resource: response examples first, then request examples. */
export function exampleNames(resource: Resource): string[] {
  const responses = resource.responses.flatMap((r) => keysOf(r.contents)).filter((key) => key !== generatedExampleKey);
  return [...new Set([...responses, ...keysOf(resource.request?.body?.contents)])];
}

/** The example names of some media types, in order. */
const keysOf = (contents: readonly { examples?: readonly { key: string }[] }[] | undefined): string[] =>
  (contents ?? []).flatMap((c) => (c.examples ?? []).map((e) => e.key));

/** What `name` stands for; `code`, when the client also prefers a status, narrows response examples to it. */
export function resolveExample(resource: Resource, name: string, code?: number): NamedExample {
  if (name !== generatedExampleKey) {
    const holder = resource.responses.find(
      (r) =>
        /^\d{3}$/.test(r.code) &&
        (code === undefined || Number(r.code) === code) &&
        (r.contents ?? []).some((c) => c.examples?.some((e) => e.key === name)),
    );
    if (holder) return { kind: 'response', status: Number(holder.code), key: name };
    for (const content of resource.request?.body?.contents ?? []) {
      const example = content.examples?.find((e) => e.key === name);
      if (example && 'value' in example) return { kind: 'request', mediaType: content.mediaType, value: example.value };
    }
  }
  return { kind: 'unknown', names: exampleNames(resource) };
}

/** The status Prism answers when no status is asked for: the lowest 2xx the operation documents. */
export function defaultStatus(resource: Resource): string | undefined {
  return resource.responses
    .map((r) => r.code)
    .filter((c) => /^2\d\d$/.test(c))
    .sort()[0];
}
