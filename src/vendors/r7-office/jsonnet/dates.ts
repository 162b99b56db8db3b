/**
 * Json.NET's date sniffing while reading a JSON string (DateParseHandling.DateTime, the default
 * JsonConvert.DeserializeXNode runs with): DateTimeUtils.TryParseDateTime, DateTimeParser and
 * TryParseDateTimeMicrosoft of Newtonsoft.Json 13.0.1 (Src/Newtonsoft.Json/Utilities/), and how XmlNodeConverter
 * writes the Date token back as text (`XmlConvert.ToString(d, RoundtripKind)`). The vendor's server runs in UTC in
 * the sandbox's model, so "local" time is UTC and a local offset is written `+00:00`.
 */

import {
  type DateParts,
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

type Zone = 'Unspecified' | 'Utc' | 'West' | 'East';

/** The fields DateTimeParser.Parse reads: a date and time (the fraction in ticks), and the zone. */
interface IsoFields extends DateParts {
  zone: Zone;
  zoneHour: number;
  zoneMinute: number;
}

/**
 * DateTimeParser (Src/Newtonsoft.Json/Utilities/DateTimeParser.cs) over one string: its Parse in its own steps,
 * ParseDate, ParseTime and ParseZone, each from a position, each false (here undefined) when the text does not fit.
 */
class DateTimeParser {
  readonly text: string;
  readonly end: number;

  constructor(text: string) {
    this.text = text;
    this.end = text.length;
  }

  /** Parse2Digit: two ASCII digits at `at`. */
  two(at: number): number | undefined {
    const { text } = this;
    return at + 1 < this.end && isDigit(text[at]) && isDigit(text[at + 1]) ? Number(text.slice(at, at + 2)) : undefined;
  }

  /** ParseChar. */
  char(at: number, c: string): boolean {
    return at < this.end && this.text[at] === c;
  }

  /** Parse: the date, `T`, the time, the zone, and nothing after. */
  parse(): IsoFields | undefined {
    const date = this.parseDate();
    if (!date || !this.char(10, 'T')) return undefined;
    const time = this.parseTime(11);
    if (!time) return undefined;
    const zone = this.parseZone(time.end);
    if (zone.end !== this.end) return undefined;
    return {
      ...date,
      hour: time.hour,
      minute: time.minute,
      second: time.second,
      fraction: time.fraction,
      zone: zone.zone,
      zoneHour: zone.zoneHour,
      zoneMinute: zone.zoneMinute,
    };
  }

  /** ParseDate: `yyyy-MM-dd`, a real day of a year from 1. */
  parseDate(): { year: number; month: number; day: number } | undefined {
    if (!(3 < this.end && [0, 1, 2, 3].every((i) => isDigit(this.text[i])))) return undefined;
    const year = Number(this.text.slice(0, 4));
    if (year < 1 || !this.char(4, '-')) return undefined;
    const month = this.two(5);
    if (month === undefined || month < 1 || month > 12 || !this.char(7, '-')) return undefined;
    const day = this.two(8);
    if (day === undefined || day < 1 || day > daysInMonth(year, month)) return undefined;
    return { year, month, day };
  }

  /** ParseTime: `HH:mm:ss` (hour 24 only as 24:00:00), then an optional fraction; where the time ends. */
  parseTime(
    start: number,
  ): { hour: number; minute: number; second: number; fraction: number; end: number } | undefined {
    const hour = this.two(start);
    const minute = this.two(start + 3);
    const second = this.two(start + 6);
    if (hour === undefined || hour > 24 || !this.char(start + 2, ':')) return undefined;
    if (minute === undefined || minute >= 60 || !this.char(start + 5, ':')) return undefined;
    if (second === undefined || second >= 60 || (hour === 24 && (minute !== 0 || second !== 0))) return undefined;
    const fraction = this.parseFraction(start + 8);
    if (!fraction || (hour === 24 && fraction.fraction !== 0)) return undefined;
    return { hour, minute, second, fraction: fraction.fraction, end: fraction.end };
  }

  /** ParseTime's fraction: `.` and up to seven digits, in ticks (at least one digit); none is 0. */
  parseFraction(at: number): { fraction: number; end: number } | undefined {
    if (!this.char(at, '.')) return { fraction: 0, end: at };
    let start = at;
    let fraction = 0;
    let digits = 0;
    while (++start < this.end && digits < 7) {
      const c = this.text[start] as string;
      if (!isDigit(c)) break;
      fraction = fraction * 10 + Number(c);
      digits++;
    }
    if (digits === 0) return undefined;
    return { fraction: fraction * 10 ** (7 - digits), end: start };
  }

  /** ParseZone: `Z`, or `+HH`/`-HH` then minutes with or without `:`; where the zone ends. */
  parseZone(at: number): { zone: Zone; zoneHour: number; zoneMinute: number; end: number } {
    const none = { zone: 'Unspecified' as Zone, zoneHour: 0, zoneMinute: 0, end: at };
    if (at >= this.end) return none;
    const ch = this.text[at];
    if (ch === 'Z' || ch === 'z') return { ...none, zone: 'Utc', end: at + 1 };
    let start = at;
    let zone: Zone = 'Unspecified';
    const zoneHour = start + 2 < this.end ? this.two(start + 1) : undefined;
    if (zoneHour !== undefined && (ch === '-' || ch === '+')) {
      zone = ch === '-' ? 'West' : 'East';
      start += 3;
    }
    const minutes = this.parseZoneMinutes(start);
    return { zone, zoneHour: zoneHour ?? 0, zoneMinute: minutes.zoneMinute, end: minutes.end };
  }

  /** ParseZone's minutes: two digits, after a `:` or not; a `:` alone is read all the same. */
  parseZoneMinutes(at: number): { zoneMinute: number; end: number } {
    if (at >= this.end) return { zoneMinute: 0, end: at };
    const start = this.char(at, ':') ? at + 1 : at;
    const zoneMinute = start + 1 < this.end ? this.two(start) : undefined;
    return zoneMinute === undefined ? { zoneMinute: 0, end: start } : { zoneMinute, end: start + 2 };
  }
}

/** DateTimeParser.Parse over the whole string; the fields it read, or undefined. */
function parseIso(text: string): IsoFields | undefined {
  return new DateTimeParser(text).parse();
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

/** Where a `/Date(…)/`'s offset sign is: a `+`, else a `-`, after the first digit and before the last character; -1. */
function offsetSign(text: string): number {
  const plus = text.indexOf('+', 7);
  if (plus >= 0 && plus < text.length - 1) return plus;
  const minus = text.indexOf('-', 7);
  return minus >= 0 && minus < text.length - 1 ? minus : -1;
}

/** The offset after its sign: two digits of hours, and two of minutes when there is room for them. */
const isOffset = (text: string, sign: number): boolean =>
  /^[0-9]{2}$/.test(text.slice(sign + 1, sign + 3)) &&
  (text.length - sign <= 5 || /^[0-9]{2}$/.test(text.slice(sign + 3, sign + 5)));

/** Milliseconds since 1970 (an Int64) in ticks, which must be a DateTime's. */
function unixMsTicks(ms: string): Ticks | undefined {
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
  return ticks;
}

/** `/Date(ms)/` and `/Date(ms+HHmm)/` (TryParseDateTimeMicrosoft): UTC, or local when an offset is written. */
function microsoftDate(text: string): JsonDate | undefined {
  const sign = offsetSign(text);
  if (sign >= 0 && !isOffset(text, sign)) return undefined;
  const ticks = unixMsTicks(text.slice(6, sign >= 0 ? sign : text.length - 2));
  if (ticks === undefined) return undefined;
  return { ticks, kind: sign >= 0 ? 'Local' : 'Utc' };
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
