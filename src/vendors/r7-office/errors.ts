/**
 * How the R7-Office sandbox raises the vendor's errors: a .NET exception and the status the vendor's
 * ApiHttpHandler.DoProcess gives it become the x-errors entry of that status and HResult. The first detail carries
 * the exception's message (what the body says, for entries whose message comes from the exception), the second the
 * sandbox's own reason (the `X-Sandbox-Reason` header, never the body).
 */
import { VendorError } from '../../server/errors.ts';
import { argumentException, type DotNetException, HRESULT } from './dotnet/exception.ts';

/** The x-errors key of a (status, HResult) pair: the catalogue has one entry per pair the vendor answers. */
const keys: Record<string, string> = {
  [`400 ${HRESULT.argument}`]: 'invalid-argument',
  [`400 ${HRESULT.format}`]: 'format-error',
  [`400 ${HRESULT.overflow}`]: 'overflow',
  [`400 ${HRESULT.indexOutOfRange}`]: 'index-out-of-range',
  [`400 ${HRESULT.argumentOutOfRange}`]: 'argument-out-of-range',
  [`400 ${HRESULT.argumentNull}`]: 'argument-null',
  [`400 ${HRESULT.json}`]: 'malformed-json',
  [`400 ${HRESULT.xml}`]: 'json-name-not-xml',
  '400 -2146233079': 'invalid-operation',
  [`500 ${HRESULT.xml}`]: 'malformed-xml',
  [`500 ${HRESULT.format}`]: 'invalid-content-type',
  [`500 ${HRESULT.argument}`]: 'content-type-parameter-twice',
};

export interface Because {
  /** The request field the failure is about. */
  target?: string;
  /** The x-rules id the failure breaks. */
  rule?: string;
  /** What the sandbox saw, in words (X-Sandbox-Reason). */
  reason: string;
}

/** The argument a failure is about, and where a request carries it: taskid in the path, the others in the body. */
const where = (because: Because) =>
  because.target
    ? { target: because.target, part: because.target === 'taskid' ? ('path' as const) : ('body' as const) }
    : {};

/** The vendor's answer to a .NET exception thrown with this status. */
export function vendorError(exception: DotNetException, status: number, because: Because): VendorError {
  const key = keys[`${status} ${exception.hresult}`];
  if (!key)
    throw new Error(`no x-errors entry answers ${status} with HResult ${exception.hresult}: ${exception.message}`);
  return new VendorError(key, [
    { message: exception.message, ...where(because), ...(because.rule ? { rule: because.rule } : {}) },
    { message: because.reason },
  ]);
}

/** `throw new ArgumentException()` in the vendor's method or DAO: 400 "Value does not fall within the expected range." */
export function invalidArgument(because: Because): VendorError {
  return vendorError(argumentException(), 400, because);
}

/** An error whose body message is fixed by its x-errors entry, with the sandbox's reason. */
export function fixedError(key: string, because: Because): VendorError {
  return new VendorError(key, [
    { message: because.reason, ...where(because), ...(because.rule ? { rule: because.rule } : {}) },
  ]);
}
