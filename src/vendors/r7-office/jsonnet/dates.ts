/**
 * Json.NET's date sniffing while reading a JSON string (DateParseHandling.DateTime, the default
 * JsonConvert.DeserializeXNode runs with): DateTimeUtils.TryParseDateTime, DateTimeParser and
 * TryParseDateTimeMicrosoft of Newtonsoft.Json 13.0.1 (Src/Newtonsoft.Json/Utilities/), and how XmlNodeConverter
 * writes the Date token back as text (`XmlConvert.ToString(d, RoundtripKind)`). The vendor's server runs in UTC in
 * the sandbox's model, so "local" time is UTC and a local offset is written `+00:00`.
 */

import {
  daysInMonth,
  formatTicks,
  MAX_TICKS,
  MIN_TICKS,
  TICKS_PER_DAY,
  type Ticks,
  ticksOf,
} from '../dotnet/datetime.ts';
import { DotNetException, HRESULT } from '../dotnet/exception.ts';

export interface JsonDate {
  ticks: Ticks;
  kind: 'Utc' | 'Local' | 'Unspecified';
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isUnicodeDigit = (c: string | undefined) => c !== undefined && /^\p{Nd}$/u.test(c);

/** DateTimeParser.Parse over the whole string; the fields it read, or undefined. */
function parseIso(text: string):
  | {
      year: number;
      month: number;
      day: number;
      hour: number;
      minute: number;
      second: number;
      fraction: number;
      zone: 'Unspecified' | 'Utc' | 'West' | 'East';
      zoneHour: number;
      zoneMinute: number;
    }
  | undefined {
  const end = text.length;
  const two = (at: number): number | undefined =>
    at + 1 < end && isDigit(text[at]) && isDigit(text[at + 1]) ? Number(text.slice(at, at + 2)) : undefined;
  const char = (at: number, c: string) => at < end && text[at] === c;
  // ParseDate
  if (!(3 < end && [0, 1, 2, 3].every((i) => isDigit(text[i])))) return undefined;
  const year = Number(text.slice(0, 4));
  if (year < 1 || !char(4, '-')) return undefined;
  const month = two(5);
  if (month === undefined || month < 1 || month > 12 || !char(7, '-')) return undefined;
  const day = two(8);
  if (day === undefined || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (!char(10, 'T')) return undefined;
  // ParseTime
  let start = 11;
  const hour = two(start);
  const minute = two(start + 3);
  const second = two(start + 6);
  if (
    hour === undefined ||
    hour > 24 ||
    !char(start + 2, ':') ||
    minute === undefined ||
    minute >= 60 ||
    !char(start + 5, ':') ||
    second === undefined ||
    second >= 60 ||
    (hour === 24 && (minute !== 0 || second !== 0))
  )
    return undefined;
  start += 8;
  let fraction = 0;
  if (char(start, '.')) {
    let digits = 0;
    while (++start < end && digits < 7) {
      const c = text[start] as string;
      if (!isDigit(c)) break;
      fraction = fraction * 10 + Number(c);
      digits++;
    }
    if (digits < 7) {
      if (digits === 0) return undefined;
      fraction *= 10 ** (7 - digits);
    }
    if (hour === 24 && fraction !== 0) return undefined;
  }
  // ParseZone
  let zone: 'Unspecified' | 'Utc' | 'West' | 'East' = 'Unspecified';
  let zoneHour = 0;
  let zoneMinute = 0;
  if (start < end) {
    const ch = text[start];
    if (ch === 'Z' || ch === 'z') {
      zone = 'Utc';
      start++;
    } else {
      const zh = start + 2 < end ? two(start + 1) : undefined;
      if (zh !== undefined) {
        zoneHour = zh;
        if (ch === '-') {
          zone = 'West';
          start += 3;
        } else if (ch === '+') {
          zone = 'East';
          start += 3;
        }
      }
      if (start < end) {
        if (char(start, ':')) {
          start += 1;
          const zm = start + 1 < end ? two(start) : undefined;
          if (zm !== undefined) {
            zoneMinute = zm;
            start += 2;
          }
        } else {
          const zm = start + 1 < end ? two(start) : undefined;
          if (zm !== undefined) {
            zoneMinute = zm;
            start += 2;
          }
        }
      }
    }
  }
  if (start !== end) return undefined;
  return { year, month, day, hour, minute, second, fraction, zone, zoneHour, zoneMinute };
}

const outOfRange = () =>
  new DotNetException(
    'System.ArgumentOutOfRangeException',
    'The added or subtracted value results in an un-representable DateTime.\nParameter name: value',
    HRESULT.argumentOutOfRange,
  );

function isoDate(text: string): JsonDate | undefined {
  const p = parseIso(text);
  if (!p) return undefined;
  // CreateDateTime: hour 24 is midnight of the next day (AddDays may leave the DateTime range).
  let ticks = ticksOf({ ...p, hour: p.hour === 24 ? 0 : p.hour }) as Ticks;
  if (p.hour === 24) {
    ticks += TICKS_PER_DAY;
    if (ticks > MAX_TICKS) throw outOfRange();
  }
  const offset = BigInt(p.zoneHour * 60 + p.zoneMinute) * 600_000_000n;
  switch (p.zone) {
    case 'Utc':
      return { ticks, kind: 'Utc' };
    case 'West': {
      const utc = ticks + offset;
      return { ticks: utc <= MAX_TICKS ? utc : MAX_TICKS, kind: 'Local' };
    }
    case 'East': {
      const utc = ticks - offset;
      return { ticks: utc >= MIN_TICKS ? utc : MIN_TICKS, kind: 'Local' };
    }
    default:
      return { ticks, kind: 'Unspecified' };
  }
}

/** `/Date(ms)/` and `/Date(ms+HHmm)/` (TryParseDateTimeMicrosoft): UTC, or local when an offset is written. */
function microsoftDate(text: string): JsonDate | undefined {
  let index = text.indexOf('+', 7);
  if (index < 0 || index >= text.length - 1) index = -1;
  if (index < 0) {
    const minus = text.indexOf('-', 7);
    index = minus >= 0 && minus < text.length - 1 ? minus : -1;
  }
  let kind: JsonDate['kind'] = 'Utc';
  if (index >= 0) {
    kind = 'Local';
    if (!/^[0-9]{2}$/.test(text.slice(index + 1, index + 3))) return undefined;
    if (text.length - index > 5 && !/^[0-9]{2}$/.test(text.slice(index + 3, index + 5))) return undefined;
  } else index = text.length - 2;
  const ms = text.slice(6, index);
  if (!/^-?[0-9]+$/.test(ms) || ms.replace('-', '').length > 19) return undefined;
  const value = BigInt(ms);
  if (value > 9223372036854775807n || value < -9223372036854775808n) return undefined;
  const ticks = BigInt.asIntN(64, value * 10_000n) + 621_355_968_000_000_000n;
  if (ticks < MIN_TICKS || ticks > MAX_TICKS) {
    throw new DotNetException(
      'System.ArgumentOutOfRangeException',
      'Ticks must be between DateTime.MinValue.Ticks and DateTime.MaxValue.Ticks.\nParameter name: ticks',
      HRESULT.argumentOutOfRange,
    );
  }
  return { ticks, kind };
}

/** DateTimeUtils.TryParseDateTime: the date a JSON string holds, or undefined when it stays a string. */
export function sniffDate(text: string): JsonDate | undefined {
  if (text.length === 0) return undefined;
  if (text[0] === '/') {
    if (text.length >= 9 && text.startsWith('/Date(') && text.endsWith(')/')) return microsoftDate(text);
    return undefined;
  }
  if (text.length >= 19 && text.length <= 40 && isUnicodeDigit(text[0]) && text[10] === 'T') return isoDate(text);
  return undefined;
}

/**
 * XmlNodeConverter's text for a Date token: `XmlConvert.ToString(d, RoundtripKind)`, i.e. the fraction without
 * trailing zeros, then `Z` (UTC), the server's offset (local; `+00:00` in UTC) or nothing (unspecified).
 */
export function dateText(date: JsonDate): string {
  const base = formatTicks(date.ticks, 'FFFFFFF');
  if (date.kind === 'Utc') return `${base}Z`;
  if (date.kind === 'Local') return `${base}+00:00`;
  return base;
}
