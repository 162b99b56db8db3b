/**
 * .NET's DateTime as the vendor's server holds it: a count of 100-nanosecond ticks since 0001-01-01T00:00:00 in the
 * proleptic Gregorian calendar, from 0 (DateTime.MinValue, the vendor's "no date") to 3155378975999999999
 * (DateTime.MaxValue). BigInt, so every tick is exact.
 */

export type Ticks = bigint;

export const TICKS_PER_SECOND = 10_000_000n;
export const TICKS_PER_MINUTE = 60n * TICKS_PER_SECOND;
export const TICKS_PER_DAY = 86_400n * TICKS_PER_SECOND;
export const MIN_TICKS = 0n;
export const MAX_TICKS = 3_155_378_975_999_999_999n;
/** 1970-01-01T00:00:00 in ticks. */
const EPOCH_TICKS = 621_355_968_000_000_000n;

export interface DateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0–9999999: the ticks within the second. */
  fraction: number;
}

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

export function daysInMonth(year: number, month: number): number {
  return [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** Days from 1970-01-01 to a civil date (H. Hinnant's algorithm, proleptic Gregorian). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** The ticks of a wall-clock date and time, or undefined when it is no date (30 February, year 0, hour 24). */
export function ticksOf(parts: DateParts): Ticks | undefined {
  const { year, month, day, hour, minute, second, fraction } = parts;
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || fraction < 0 || fraction > 9_999_999) return undefined;
  const days = BigInt(daysFromCivil(year, month, day));
  const seconds = BigInt(hour * 3600 + minute * 60 + second);
  return EPOCH_TICKS + days * TICKS_PER_DAY + seconds * TICKS_PER_SECOND + BigInt(fraction);
}

export function partsOf(ticks: Ticks): DateParts {
  const sinceEpoch = ticks - EPOCH_TICKS;
  let days = sinceEpoch / TICKS_PER_DAY;
  let rest = sinceEpoch % TICKS_PER_DAY;
  if (rest < 0n) {
    rest += TICKS_PER_DAY;
    days -= 1n;
  }
  const civil = civilFromDays(Number(days));
  const seconds = Number(rest / TICKS_PER_SECOND);
  return {
    ...civil,
    hour: Math.floor(seconds / 3600),
    minute: Math.floor((seconds % 3600) / 60),
    second: seconds % 60,
    fraction: Number(rest % TICKS_PER_SECOND),
  };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** `yyyy-MM-ddTHH:mm:ss`, then `.fffffff` (all 7 digits) or `.FFFFFFF` (trailing zeros and a bare dot dropped). */
export function formatTicks(ticks: Ticks, fraction: 'fffffff' | 'FFFFFFF'): string {
  const p = partsOf(ticks);
  const base = `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)}T${pad(p.hour, 2)}:${pad(p.minute, 2)}:${pad(p.second, 2)}`;
  const digits = pad(p.fraction, 7);
  if (fraction === 'fffffff') return `${base}.${digits}`;
  const trimmed = digits.replace(/0+$/, '');
  return trimmed === '' ? base : `${base}.${trimmed}`;
}

/** `±hh:mm` of an offset in minutes (.NET's `TimeSpan.ToString("hh\\:mm")` with a sign). */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`;
}

/** DateTime.UtcNow: the system clock to the tick the platform offers (microseconds). */
export function utcNow(): Ticks {
  const micros = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
  return EPOCH_TICKS + micros * 10n;
}

export function fromEpochMilliseconds(ms: number): Ticks {
  return EPOCH_TICKS + BigInt(Math.trunc(ms)) * 10_000n;
}

export function toEpochMilliseconds(ticks: Ticks): number {
  return Number((ticks - EPOCH_TICKS) / 10_000n);
}

/**
 * What a MySQL `datetime` column (no fractional seconds) keeps of a DateTime: the connector sends microseconds, the
 * server rounds to the second, half up. A value that would round past 9999-12-31T23:59:59 keeps that second.
 */
export function storedToTheSecond(ticks: Ticks): Ticks {
  const micro = ticks - (ticks % 10n);
  const rest = micro % TICKS_PER_SECOND;
  const down = micro - rest;
  const rounded = rest >= TICKS_PER_SECOND / 2n ? down + TICKS_PER_SECOND : down;
  return rounded > MAX_TICKS ? MAX_TICKS - (MAX_TICKS % TICKS_PER_SECOND) : rounded;
}
