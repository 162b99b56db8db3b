/**
 * ApiArgumentBuilder.BuildCallingArguments (module/ASC.Api/ASC.Api/Impl/ApiArgumentBuilder.cs) with Binder.Bind and
 * ConvertUtils.GetConverted (Utils/): each parameter of the vendor's method, in declaration order, by name without
 * regard to letter case; the first value converted through its TypeConverter; on failure Binder.Bind, which reads
 * the values joined with commas and gives the type's default when they are empty, else converts again and fails
 * (ApiArgumentMismatchException, 400, the innermost exception's message). A parameter the collection lacks comes
 * from `Request[name]` on methods other than GET (a cookie of that name: query and form are in the collection
 * already), else the default. The first parameter that fails stops binding.
 */
import type { FastifyRequest } from 'fastify';
import { requestCookieValues } from '../../../server/security.ts';
import { parseApiDateTime } from '../api-datetime.ts';
import { toBoolean, toGuid, toInt32 } from '../dotnet/converters.ts';
import type { Ticks } from '../dotnet/datetime.ts';
import type { DotNetException } from '../dotnet/exception.ts';
import type { NameValueCollection } from './name-value-collection.ts';
import { BindingFailure } from './request-params.ts';

/** The .NET types of the vendor's method parameters the spec's `x-signature` names. */
export type ParameterType = 'Int32' | 'String' | 'Boolean' | 'Guid' | 'ApiDateTime';

export interface ParameterSpec {
  name: string;
  type: ParameterType;
}

export type BoundValue = number | string | boolean | Ticks | null;

const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

function convert(value: string, type: ParameterType): BoundValue {
  switch (type) {
    case 'Int32':
      return toInt32(value);
    case 'Boolean':
      return toBoolean(value);
    case 'Guid':
      return toGuid(value);
    case 'ApiDateTime':
      return parseApiDateTime(value);
    default:
      return value;
  }
}

/** default(T): 0, false, Guid.Empty, null. */
function defaultOf(type: ParameterType): BoundValue {
  switch (type) {
    case 'Int32':
      return 0;
    case 'Boolean':
      return false;
    case 'Guid':
      return EMPTY_GUID;
    default:
      return null;
  }
}

function mismatch(error: unknown, name: string, value: string): BindingFailure {
  const rule =
    name === 'deadline'
      ? 'r7-office.task.deadline-format'
      : name === 'taskid'
        ? 'r7-office.task.taskid-int32'
        : 'r7-office.request.binding';
  return new BindingFailure(error as DotNetException, 400, `${name} "${value}" cannot be converted`, rule);
}

export interface BindingSources {
  params: NameValueCollection;
  method: string;
  /** `Request.Cookies`, for a parameter the collection lacks. */
  cookies: ReadonlyMap<string, string>;
}

export function bindArguments(
  signature: readonly ParameterSpec[],
  sources: BindingSources,
): Record<string, BoundValue> {
  const bound: Record<string, BoundValue> = {};
  for (const { name, type } of signature) bound[name] = bindParameter(name, type, sources);
  return bound;
}

/** One parameter: from the collection when it has the name, else from a cookie (not on GET), else the default. */
function bindParameter(name: string, type: ParameterType, sources: BindingSources): BoundValue {
  const values = sources.params.getValues(name);
  if (values && values.length > 0) return fromValues(name, type, values[0] as string, sources.params);
  const fromCookie = sources.method.toUpperCase() !== 'GET' ? cookieValue(sources.cookies, name) : undefined;
  if (fromCookie !== undefined && fromCookie !== '') return convertOrFail(fromCookie, type, name);
  return defaultOf(type);
}

/** ConvertUtils.GetConverted of the first value; on failure Binder.Bind of the values joined. */
function fromValues(name: string, type: ParameterType, first: string, params: NameValueCollection): BoundValue {
  try {
    return convert(first, type);
  } catch {
    // Binder.Bind: the values joined; empty ones are skipped, none left is the default.
  }
  const joined = params.get(name) ?? '';
  return joined === '' ? defaultOf(type) : convertOrFail(joined, type, name);
}

/** The value converted, or the ApiArgumentMismatchException that stops binding. */
function convertOrFail(value: string, type: ParameterType, name: string): BoundValue {
  try {
    return convert(value, type);
  } catch (error) {
    throw mismatch(error, name, value);
  }
}

function cookieValue(cookies: ReadonlyMap<string, string>, name: string): string | undefined {
  for (const [key, value] of cookies) if (key.toLowerCase() === name.toLowerCase()) return value;
  return undefined;
}

/**
 * `Request.Cookies` of a request: the pipeline's parse of its Cookie header (@fastify/cookie), which holds them as
 * ASP.NET does (values as sent, not URL-decoded; the first of a repeated name).
 */
export const requestCookies = (request: FastifyRequest): Map<string, string> =>
  new Map(Object.entries(requestCookieValues(request)).filter((e): e is [string, string] => e[1] !== undefined));
