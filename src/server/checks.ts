/**
 * The pipeline's checks of a request, after its body is read, in the order the vendor documents
 * (`VendorDefinition.checks`, default `defaultChecks`): the first that fails answers, with the vendor's error for it.
 * The sandbox and the mock run the same checks; only how credentials are checked differs (security.ts).
 */

import { validateXmlValue } from '../xml/read.ts';
import type { ErrorDetail } from './errors.ts';
import { VendorError } from './errors.ts';
import { mediaTypeOf } from './media-type.ts';
import { negotiate } from './negotiate.ts';
import type { RateCheck } from './rate-limit.ts';
import type { BodyValidators, RouteSpec } from './routes.ts';
import { type CredentialMode, credentials } from './security.ts';
import { validationDetails } from './validation-details.ts';
import { type Check, type CheckContext, type CheckName, type CheckStage, defaultChecks } from './vendor-module.ts';
import { XmlBody } from './xml-body.ts';

/** What the pipeline's own checks need beyond the request: how credentials are checked and the rate counter. */
export interface CheckOptions extends CheckStage {
  credentials: CredentialMode;
  rate?: RateCheck;
}

/** Runs the vendor's checks in its order; the state the context carries is filled as they pass. */
export async function runChecks(ctx: CheckContext, options: CheckOptions, order?: readonly Check[]): Promise<void> {
  for (const check of order ?? ctx.definition.checks ?? defaultChecks) {
    if (typeof check === 'function') await check(ctx, options);
    else await core[check](ctx, options);
  }
}

const core: Record<CheckName, (ctx: CheckContext, options: CheckOptions) => void | Promise<void>> = {
  credentials(ctx, options) {
    const { request, route, definition, doc, config, state } = ctx;
    state.account = route.secured ? credentials(request, route, definition, doc, config, options.credentials) : '';
  },
  async rate(ctx, options) {
    await options.rate?.(ctx.request, ctx.state.account ?? '');
  },
  parameters(ctx) {
    if (ctx.definition.bindsRequest) return;
    const { route, state, definition } = ctx;
    const failures: ErrorDetail[] = [];
    if (!route.params(state.params)) failures.push(...validationDetails(route.params.errors, 'path'));
    if (!route.query(state.query)) failures.push(...validationDetails(route.query.errors, 'query'));
    if (!route.headers(state.headers)) failures.push(...headerDetails(route));
    if (failures.length === 0) return;
    const keys = definition.errorKeys;
    const missing = failures.filter((d) => d.keyword === 'required');
    if (keys.missingParameter && missing.length > 0) throw new VendorError(keys.missingParameter, missing);
    throw new VendorError(keys.validation, failures);
  },
  action(ctx) {
    const { route, state, definition } = ctx;
    if (!route.actions) return;
    const action = typeof state.query.action === 'string' ? state.query.action : undefined;
    if (action === undefined || !route.actions.has(action)) {
      const keys = definition.errorKeys;
      throw new VendorError(keys.unknownAction ?? keys.validation, [
        {
          target: 'action',
          keyword: action === undefined ? 'required' : 'enum',
          message: action === undefined ? 'is required' : `${action} is not an action of this API`,
        },
      ]);
    }
    state.action = action;
  },
  'media-type'(ctx) {
    if (ctx.definition.bindsRequest) return;
    const validators = bodyValidators(ctx);
    const sent = ctx.state.headers['content-type'] as string | undefined;
    if (!validators || (ctx.state.body === undefined && sent === undefined)) return;
    const mediaType = mediaTypeOf(sent);
    if (validators.mediaTypes.includes(mediaType)) return;
    throw new VendorError(ctx.definition.errorKeys.unsupportedMediaType, [
      { target: 'Content-Type', message: `${sent ?? '(none)'} is not one of ${validators.mediaTypes.join(', ')}` },
    ]);
  },
  body(ctx) {
    if (ctx.definition.bindsRequest) return;
    const validators = bodyValidators(ctx);
    if (validators) ctx.state.body = validateBody(ctx, validators);
  },
  accept(ctx) {
    const { route, state, request, definition } = ctx;
    const offered = successMediaTypes(route);
    const chosen = answerMediaType(ctx, offered);
    if (offered.length > 0 && chosen === undefined) {
      throw new VendorError(definition.errorKeys.notAcceptable, [
        { target: 'Accept', message: `cannot answer in ${request.headers.accept}; offered: ${offered.join(', ')}` },
      ]);
    }
    if (chosen) state.mediaType = chosen;
  },
};

/** The header failures, named as the spec names the headers (`Content-MD5`, not `content-md5`). */
function headerDetails(route: RouteSpec): ErrorDetail[] {
  return validationDetails(route.headers.errors, 'header').map((d) => {
    const name = route.entry.parameters.find((p) => p.in === 'header' && p.name.toLowerCase() === d.target)?.name;
    return name ? { ...d, target: name } : d;
  });
}

/** The body validators of the operation, or of its action once the action check has found it. */
function bodyValidators(ctx: CheckContext): BodyValidators | undefined {
  const { route, state } = ctx;
  if (!route.actions) return route.body;
  return state.action === undefined ? undefined : route.actions.get(state.action);
}

function validateBody(ctx: CheckContext, validators: BodyValidators): unknown {
  const { state, definition } = ctx;
  const keys = definition.errorKeys;
  const body = state.body;
  const contentType = mediaTypeOf(state.headers['content-type'] as string | undefined);
  if (body === undefined || (contentType === '' && state.headers['content-length'] === undefined)) {
    if (validators.required) throw new VendorError(keys.malformed, [{ message: 'the request has no body' }]);
    return undefined;
  }
  const validator = validators.byMediaType.get(contentType);
  if (!validator) {
    throw new VendorError(keys.unsupportedMediaType, [
      { message: `Content-Type ${contentType || '(none)'} is not one of ${validators.mediaTypes.join(', ')}` },
    ]);
  }
  const value =
    body instanceof XmlBody ? xmlValue(body, validator.xmlRoot, validators.errorKey ?? keys.validation) : body;
  if (!(validator.xml ? validateXmlValue(value, validator.validate) : validator.validate(value))) {
    throw new VendorError(validators.errorKey ?? keys.validation, validationDetails(validator.validate.errors, 'body'));
  }
  return value;
}

/** An XML body's value, once its root element is the one the schema names. */
function xmlValue(body: XmlBody, root: string | undefined, errorKey: string): unknown {
  if (root && body.root !== root)
    throw new VendorError(errorKey, [{ message: `the XML root element must be <${root}>, not <${body.root}>` }]);
  return body.value;
}

/** The media types of the operation's first success response, in the spec's order. */
export function successMediaTypes(route: RouteSpec): readonly string[] {
  const success = [...route.responseMediaTypes.keys()].find((s) => /^2/.test(s));
  return route.responseMediaTypes.get(success ?? '') ?? [];
}

/** The answer's media type among `offered`: the vendor's own choice, else the one `Accept` rates highest. */
export function answerMediaType(
  ctx: Pick<CheckContext, 'request' | 'route' | 'definition'>,
  offered: readonly string[],
): string | undefined {
  const { definition, request, route } = ctx;
  return definition.responseMediaType
    ? definition.responseMediaType(request, route, offered)
    : negotiate(request.headers.accept, offered);
}
