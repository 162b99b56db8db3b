/**
 * The slice of Prism's programmatic API (`@stoplight/prism-http`) the mock uses, typed from Prism's own exports,
 * and the few calls made on it: only public exports, no `dist/...` internals.
 */
import { createRequire, registerHooks } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as PrismHttp from '@stoplight/prism-http';
import type { IHttpConfig, IHttpRequest, IHttpResponse } from '@stoplight/prism-http';
import type { PrismLogger } from './logger.ts';
import type { Violation } from './xml.ts';

const require = createRequire(import.meta.url);

/**
 * Two of Prism's imports are swapped, for Prism's own modules and no other in the process, because they cost the
 * start-up much and give this mock nothing: faker's entry point, which loads every locale faker has (0.4 s, 50 MB)
 * to answer in English, gets faker with the English data alone (faker-en.cjs: same values); and the Postman
 * collection reader, which loads postman-collection (250 modules, 0.08 s, 30 MB) though the mock only ever hands
 * Prism OpenAPI documents, gets a stub that says so if called (postman-unused.cjs). Registered before Prism loads.
 */
const swapped: Record<string, string> = {
  '@faker-js/faker': require.resolve('./faker-en.cjs'),
  '@stoplight/http-spec/postman/operation': require.resolve('./postman-unused.cjs'),
};
const prismFolder = pathToFileURL(dirname(dirname(require.resolve('@stoplight/prism-http')))).href;
const registered = Symbol.for('vendor-task-api-contracts.prism-imports');
if (!(registered in globalThis)) {
  Object.defineProperty(globalThis, registered, { value: true });
  registerHooks({
    resolve(specifier, context, next) {
      const swap = context.parentURL?.startsWith(`${prismFolder}/`) ? swapped[specifier] : undefined;
      return next(swap ?? specifier, context);
    },
  });
}

const {
  createInstance,
  getHttpOperationsFromSpec,
  INVALID_CONTENT_TYPE,
  ProblemJsonError,
  UNAUTHORIZED,
  UNPROCESSABLE_ENTITY,
  VIOLATIONS,
} = require('@stoplight/prism-http') as typeof PrismHttp;

export type PrismInstance = ReturnType<typeof createInstance>;
/** One operation as Prism sees it (an `IHttpOperation`). */
export type Resource = Awaited<ReturnType<typeof getHttpOperationsFromSpec>>[number];
export type ResourceContent = NonNullable<Resource['responses'][number]['contents']>[number];
export type PrismResult = Awaited<ReturnType<ReturnType<PrismInstance['request']>>>;
export type PrismOutput = Extract<PrismResult, { _tag: 'Right' }>['right'];
export type Diagnostic = PrismOutput['validations']['input'][number];
export type { IHttpConfig, IHttpRequest, IHttpResponse };

export { ProblemJsonError };
export type ProblemJsonError = InstanceType<typeof ProblemJsonError>;

/** Prism's operations of a document. The copy matters: Prism's resolver dereferences the object it is given. */
export function prismResources(doc: object): Promise<Resource[]> {
  return getHttpOperationsFromSpec(structuredClone(doc));
}

export function prismInstance(logger: PrismLogger): PrismInstance {
  return createInstance(mockConfig({ errors: false }), { logger });
}

/**
 * A fresh config per call: Prism writes the negotiated media types into the `mock` object it is given. Prism's
 * own response validation is off: it compiles a validator per response schema on first use (seconds for
 * Odyssee's job) and rejects every XML string; the engine checks what needs checking with the spec's validator.
 */
export function mockConfig(
  options: { errors: boolean; validateRequest?: boolean; validateResponse?: boolean; checkSecurity?: boolean },
  mock: Partial<IHttpConfig['mock']> = {},
): IHttpConfig {
  return {
    checkSecurity: options.checkSecurity ?? true,
    validateRequest: options.validateRequest ?? true,
    validateResponse: options.validateResponse ?? false,
    errors: options.errors,
    upstreamProxy: undefined,
    isProxy: false,
    mock: { dynamic: false, ...mock },
  };
}

export async function runPrism(
  prism: PrismInstance,
  request: IHttpRequest,
  resources: Resource[],
  config: IHttpConfig,
): Promise<PrismResult> {
  return prism.request(request, resources, config)();
}

export const isError = (d: Diagnostic): boolean => d.severity === 0;

export function toViolation(d: Diagnostic): Violation {
  return {
    path: d.path ?? [],
    code: typeof d.code === 'number' || typeof d.code === 'string' ? d.code : 'invalid',
    message: d.message,
    severity: isError(d) ? 'Error' : 'Warning',
  };
}

/**
 * What Prism answers to an invalid request when the spec documents no error response for it: 401 for a security
 * violation, 415 for a content type, otherwise 422, as problem+json listing every violation.
 */
export function violationsProblem(violations: readonly Violation[]): ProblemJsonError {
  const validation = unique(violations);
  if (violations.some((v) => v.code === 401))
    return ProblemJsonError.fromTemplate(UNAUTHORIZED, 'Your request does not fulfil the security requirements.', {
      validation,
    });
  const contentType = violations.find((v) => v.code === 415);
  if (contentType) return ProblemJsonError.fromTemplate(INVALID_CONTENT_TYPE, contentType.message, { validation });
  return ProblemJsonError.fromTemplate(
    UNPROCESSABLE_ENTITY,
    'Your request is not valid and the mock runs in strict mode, so it answers with every violation.',
    { validation },
  );
}

/** Prism's `--errors` answer to a response that breaks the spec. */
export function responseViolationsProblem(violations: readonly Violation[]): ProblemJsonError {
  return ProblemJsonError.fromTemplate(
    VIOLATIONS,
    'Your request/response is not valid and the mock runs in strict mode, so it answers with this error.',
    { validation: unique(violations) },
  );
}

/** Each violation once, in Prism's problem shape (Prism repeats an `anyOf` branch's errors for every branch). */
function unique(violations: readonly Violation[]) {
  const seen = new Map<string, { location: string[]; severity: string; code: string | number; message: string }>();
  for (const v of violations) {
    const entry = { location: v.path, severity: v.severity, code: v.code, message: v.message };
    seen.set(JSON.stringify(entry), entry);
  }
  return [...seen.values()];
}
