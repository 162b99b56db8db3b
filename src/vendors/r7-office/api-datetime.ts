/**
 * The vendor's ApiDateTime (module/ASC.Api/ASC.Specific/ApiDateTime.cs) on a portal whose time zone is UTC, the
 * sandbox portal's. Input: `ApiDateTime.Parse` — `DateTime.TryParseExact` with its seven formats and
 * AdjustToUniversal, whose accepted texts are exactly the spec's ApiDateTime pattern
 * (specs/r7-office/components/schemas/ApiDateTime.yaml, read here: one definition for the spec and the sandbox).
 * Output: `ToString()`, the wall time in the portal's offset with seven fractional digits, `Z` for UTC.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { specsDir } from '../../spec/paths.ts';
import {
  formatTicks,
  MAX_TICKS,
  MIN_TICKS,
  TICKS_PER_DAY,
  TICKS_PER_MINUTE,
  type Ticks,
  ticksOf,
} from './dotnet/datetime.ts';
import { argumentException } from './dotnet/exception.ts';

const schema = parse(
  readFileSync(join(specsDir, 'r7-office', 'components', 'schemas', 'ApiDateTime.yaml'), 'utf8'),
) as {
  pattern: string;
};

/** The spec's pattern, with its named groups: year, month, day, hour, minute, second, fraction, zone. */
export const API_DATE_TIME_PATTERN = new RegExp(schema.pattern, 'u');

/**
 * ApiDateTime.Parse(text): the instant in ticks (UTC), or the ArgumentException the vendor's binder reports
 * ("invalid date time format: <text>"; without the text under 7 characters). A value without a zone is portal
 * time, i.e. UTC. An offset that takes the instant before 0001-01-01 adds a day (DateTimeParse's
 * AdjustTimeZoneToUniversal); one that takes it past 9999-12-31 fails.
 */
export function parseApiDateTime(text: string): Ticks {
  if (text.length < 7) throw argumentException('invalid date time format');
  const invalid = () => argumentException(`invalid date time format: ${text}`);
  const g = API_DATE_TIME_PATTERN.exec(text)?.groups;
  if (!g) throw invalid();
  const local = localTicks(g);
  if (local === undefined) throw invalid();
  const zone = g.zone;
  if (!zone || zone === 'Z') return local;
  let utc = local - zoneOffset(zone);
  if (utc < MIN_TICKS) utc += TICKS_PER_DAY;
  if (utc < MIN_TICKS || utc > MAX_TICKS) throw invalid();
  return utc;
}

/** The date and time the pattern's groups name, as written (before any zone); undefined for no such day. */
function localTicks(g: Readonly<Record<string, string | undefined>>): Ticks | undefined {
  return ticksOf({
    year: Number(g.year),
    month: Number(g.month),
    day: Number(g.day),
    hour: Number(g.hour ?? 0),
    minute: Number(g.minute ?? 0),
    second: Number(g.second ?? 0),
    fraction: Number((g.fraction ?? '').padEnd(7, '0') || 0),
  });
}

/** A zone's offset from UTC in ticks: `+03:00`, `+0300` or `+03`. */
function zoneOffset(zone: string): Ticks {
  const sign = zone[0] === '-' ? -1n : 1n;
  const digits = zone.slice(1).replace(':', '');
  const hours = digits.length > 2 && !zone.includes(':') ? digits.slice(0, 2) : zone.slice(1).split(':')[0];
  const minutes = zone.includes(':') ? (zone.split(':')[1] as string) : digits.slice(2);
  return sign * (BigInt(Number(hours)) * 60n + BigInt(Number(minutes))) * TICKS_PER_MINUTE;
}

/**
 * `new ApiDateTime(DateTime).ToString()` in the UTC portal: `yyyy-MM-ddTHH:mm:ss.fffffffZ`. DateTime.MinValue and
 * MaxValue are the vendor's "no date" and are written as 0001-01-01T00:00:00.0000000Z.
 */
export function formatApiDateTime(ticks: Ticks): string {
  if (ticks <= MIN_TICKS || ticks >= MAX_TICKS) return '0001-01-01T00:00:00.0000000Z';
  return `${formatTicks(ticks, 'fffffff')}Z`;
}
