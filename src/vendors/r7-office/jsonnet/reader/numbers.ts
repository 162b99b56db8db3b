/** The number conversions JsonTextReader.ParseReadNumber leaves to .NET: `double.TryParse` and `Convert.ToInt64`. */
import { DotNetException, formatException, HRESULT } from '../../dotnet/exception.ts';

/**
 * `double.TryParse(text, NumberStyles.Float, InvariantCulture)`: optional sign, digits with one optional point,
 * optional exponent; out of the double range fails (.NET Framework and Mono do not return infinity).
 */
export function parseDouble(text: string): number | undefined {
  if (!/^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** `Convert.ToInt64(text, 16 | 8)` (ParseNumbers.StringToLong, IsTight). */
export function convertToInt64(text: string, base: 16 | 8): bigint {
  let i = 0;
  if (text[i] === '-') {
    if (base !== (10 as number)) {
      throw new DotNetException(
        'System.ArgumentException',
        'String cannot contain a minus sign if the base is not 10.',
        HRESULT.argument,
      );
    }
  }
  if (text[i] === '+') i++;
  if (base === 16 && text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X')) i += 2;
  const digit = base === 16 ? /^[0-9A-Fa-f]$/ : /^[0-7]$/;
  const start = i;
  let value = 0n;
  while (i < text.length && digit.test(text[i] as string)) {
    value = value * BigInt(base) + BigInt(Number.parseInt(text[i] as string, base));
    if (value > 0xffffffffffffffffn) {
      throw new DotNetException(
        'System.OverflowException',
        'Value was either too large or too small for a UInt64.',
        HRESULT.overflow,
      );
    }
    i++;
  }
  if (i === start) throw formatException('Could not find any recognizable digits.');
  if (i < text.length) throw formatException('Additional non-parsable characters are at the end of the string.');
  return BigInt.asIntN(64, value);
}
