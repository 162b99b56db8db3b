/**
 * A .NET exception as the vendor's error body shows it: the innermost exception's type, message and HResult
 * (module/ASC.Api/ASC.Api/Interfaces/IApiStandartResponce.cs, ErrorWrapper: `while (exception.InnerException !=
 * null) exception = exception.InnerException`). Texts are those of the runtime the vendor runs on Linux, Mono 6.8.
 */
export class DotNetException extends Error {
  override name = 'DotNetException';
  readonly type: string;
  readonly hresult: number;

  constructor(type: string, message: string, hresult: number) {
    super(message);
    this.type = type;
    this.hresult = hresult;
  }
}

/** HResults of the exceptions the vendor's answers carry (Mono 6.8). */
export const HRESULT = {
  argument: -2147024809,
  argumentNull: -2147467261,
  argumentOutOfRange: -2146233086,
  format: -2146233033,
  overflow: -2146233066,
  indexOutOfRange: -2146233080,
  security: -2146233078,
  httpException: -2147467259,
  xml: -2146232000,
  json: -2146233088,
  authentication: -2146233087,
} as const;

export const formatException = (message: string) =>
  new DotNetException('System.FormatException', message, HRESULT.format);
export const overflowException = (message: string) =>
  new DotNetException('System.OverflowException', message, HRESULT.overflow);
export const argumentException = (message = 'Value does not fall within the expected range.') =>
  new DotNetException('System.ArgumentException', message, HRESULT.argument);

/** Characters `String.Trim()` removes: `Char.IsWhiteSpace`. */
const WHITESPACE = '\\u0009-\\u000D\\u0020\\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000';
const trimPattern = new RegExp(`^[${WHITESPACE}]+|[${WHITESPACE}]+$`, 'g');

/** .NET's `String.Trim()`: Unicode white space at both ends (not U+FEFF, which JavaScript's trim also removes). */
export function dotnetTrim(text: string): string {
  return text.replace(trimPattern, '');
}
