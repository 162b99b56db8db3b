/**
 * Deadlines as the vendor's ApiDateTime reads them: ISO 8601 round-trip (`2008-04-10T06:30:00.000Z`) or the
 * hyphenated-time form of the page's example (`2008-04-10T06-30-00.000Z`). The schema's pattern has already checked
 * the shape (r7-office.task.deadline-format); this module checks the value is a real instant
 * (r7-office.task.deadline-valid) and writes it as the vendor answers it: UTC, 7 fractional digits, `Z`.
 *
 * A deadline without an offset is read in the portal's time zone; the sandbox portal's time zone is UTC.
 */

const form = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})[:-](\d{2})[:-](\d{2})(?:\.(\d{1,7}))?(Z|([+-])(\d{2}):?(\d{2}))?$/;

/** Milliseconds since the epoch of a UTC wall-clock time; years 0–99 stay themselves (Date.UTC maps them to 19xx). */
function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date;
}

/** .NET's DateTime.MinValue (the vendor's "no date") and the first instant past DateTime.MaxValue. */
const MIN_MS = utcMs(1, 1, 1).getTime();
const END_MS = utcMs(10000, 1, 1).getTime();

/**
 * The deadline as a UTC round-trip date-time with 7 fractional digits and `Z`, or undefined when it names no real
 * instant: a day the month does not have (30 February), or a value at or before 0001-01-01T00:00:00 UTC (the
 * vendor's "no date", DateTime.MinValue) or beyond 9999-12-31.
 */
export function normaliseDeadline(text: string): string | undefined {
  const m = form.exec(text);
  if (!m) return undefined;
  const [, year, month, day, hour, minute, second, fraction = '', zone, sign, offH = '0', offM = '0'] = m;
  const local = utcMs(Number(year), Number(month), Number(day), Number(hour), Number(minute), Number(second));
  if (local.getUTCDate() !== Number(day) || local.getUTCMonth() !== Number(month) - 1) return undefined;
  const offsetMs = zone && zone !== 'Z' ? (sign === '-' ? -1 : 1) * (Number(offH) * 60 + Number(offM)) * 60_000 : 0;
  const utc = local.getTime() - offsetMs;
  const ticks = fraction.padEnd(7, '0');
  if (utc < MIN_MS || utc >= END_MS || (utc === MIN_MS && /^0+$/.test(ticks))) return undefined;
  return `${new Date(utc).toISOString().slice(0, 19)}.${ticks}Z`;
}
