/**
 * `double.ToString("R", InvariantCulture)` as .NET Framework and Mono 6.8 write it (XmlConvert.ToString(double) is
 * that, with `INF`, `-INF` and `-0`): 15 significant digits when they read back as the same double, else 17; in
 * the "G" layout, i.e. scientific (`1E+21`, `1E-05`) when the exponent is below -5 or at least the precision.
 */
function generalFormat(value: number, precision: number): string {
  const [mantissa = '', exponentText = '0'] = value.toExponential(precision - 1).split('e');
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '').replace(/0+$/, '') || '0';
  const exponent = Number(exponentText);
  let body: string;
  if (exponent > -5 && exponent < precision) {
    if (exponent >= 0) {
      const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
      const fraction = digits.slice(exponent + 1);
      body = fraction ? `${whole}.${fraction}` : whole;
    } else body = `0.${'0'.repeat(-exponent - 1)}${digits}`;
  } else {
    const fraction = digits.slice(1);
    const sign = exponent < 0 ? '-' : '+';
    body = `${digits[0]}${fraction ? `.${fraction}` : ''}E${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return negative ? `-${body}` : body;
}

export function roundTripDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const fifteen = generalFormat(value, 15);
  return Number(fifteen.replace('E', 'e')) === value ? fifteen : generalFormat(value, 17);
}

/** XmlConvert.ToString(double). */
export function xmlConvertDouble(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return 'INF';
  if (value === Number.NEGATIVE_INFINITY) return '-INF';
  return roundTripDouble(value);
}
