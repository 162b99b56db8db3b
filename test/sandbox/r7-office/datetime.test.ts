/**
 * ApiDateTime (module/ASC.Api/ASC.Specific/ApiDateTime.cs) in and out, and the Json.NET step a JSON body's strings
 * pass first (JsonConvert.DeserializeXNode's date sniffing, Newtonsoft.Json 13.0.1 DateTimeUtils and
 * XmlNodeConverter). The spec's ApiDateTime pattern is the one definition: the sandbox parses with it; the
 * ApiDateTimeJson pattern is checked here against the sandbox's emulation of Json.NET followed by ApiDateTime.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadSpec, SpecValidator } from '../../../src/spec/index.ts';
import {
  API_DATE_TIME_PATTERN,
  formatApiDateTime,
  parseApiDateTime,
} from '../../../src/vendors/r7-office/api-datetime.ts';
import { daysInMonth, ticksOf } from '../../../src/vendors/r7-office/dotnet/datetime.ts';
import { dateText, sniffDate } from '../../../src/vendors/r7-office/jsonnet/dates.ts';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import { answer, call, expectError, form, readTask, type TaskEnvelope, tokenFor } from './helpers.ts';

const doc = await loadSpec('r7-office');
const schemas = doc.components?.schemas as Record<string, { pattern: string }>;
const validator = new SpecValidator('r7-office', doc);
const formSchema = validator.at('#/components/schemas/ApiDateTime');
const jsonPattern = new RegExp(schemas.ApiDateTimeJson?.pattern as string, 'u');

const MIN_VALUE = '0001-01-01T00:00:00.0000000Z';

/** What ApiDateTime.Parse makes of a form or text/xml value: the instant, or undefined when it refuses it. */
function parsesAsForm(text: string): string | undefined {
  try {
    return formatApiDateTime(parseApiDateTime(text));
  } catch {
    return undefined;
  }
}

/** What a JSON string becomes: Json.NET's date handling, then ApiDateTime.Parse. */
function parsesAsJson(text: string): string | undefined {
  try {
    const date = sniffDate(text);
    return formatApiDateTime(parseApiDateTime(date ? dateText(date) : text));
  } catch {
    return undefined;
  }
}

/** A value the patterns admit but the vendor refuses, as each schema's description says: a day the month lacks. */
function hasImpossibleDay(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return month >= 1 && month <= 12 && day > daysInMonth(year, month);
}

/** Mostly a value the vendor takes, sometimes one just outside: so both sides of each boundary are drawn often. */
const part = (good: string[], bad: string[]) =>
  fc.oneof({ arbitrary: fc.constantFrom(...good), weight: 20 }, { arbitrary: fc.constantFrom(...bad), weight: 1 });

/** Strings near the vendor's formats: every part drawn from values just inside and just outside what is accepted. */
const nearDates = fc
  .record({
    year: part(['0001', '2008', '2024', '9999'], ['0000', '999', '20240']),
    month: part(['01', '02', '04', '12'], ['00', '13', '1']),
    day: part(['01', '28', '29', '30', '31'], ['00', '32', '1']),
    t: part(['T'], [' ', 't', '', 'none']),
    hour: part(['00', '09', '23'], ['24', '25', '9']),
    sep1: part([':', '-'], ['.', '']),
    minute: part(['00', '30', '59'], ['60', '5']),
    sep2: part([':', '-'], ['', '.']),
    second: part(['00', '07', '59'], ['60', '']),
    fraction: fc.oneof(
      fc.constant(''),
      fc
        .oneof(fc.constantFrom(3, 7), fc.integer({ min: 0, max: 9 }))
        .chain((n) => fc.array(fc.constantFrom('0', '0', '1', '5', '9'), { minLength: n, maxLength: n }))
        .map((d) => `.${d.join('')}`),
    ),
    zone: part(
      ['', 'Z', '+03:00', '+3:00', '+0300', '-14:00', '+14:00', '-13:59', '+00:00', '-00:00', '-0930', '+1400'],
      ['z', '+03', '+300', '+14:01', '+03:', ':30', '30', ' Z', 'Z ', '+03:00:00', '+1', '+0'],
    ),
  })
  .map((p) =>
    p.t === 'none'
      ? `${p.year}-${p.month}-${p.day}`
      : `${p.year}-${p.month}-${p.day}${p.t}${p.hour}${p.sep1}${p.minute}${p.sep2}${p.second}${p.fraction}${p.zone}`,
  );

/** `/Date(milliseconds)/` values within the DateTime range, with and without an offset. */
const microsoftDates = fc
  .record({
    ms: fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 }),
    rounded: fc.constantFrom(0, 1, 10, 100, 1000, 60_000),
    suffix: fc.constantFrom('', '', '+0300', '-0300', '+03', '+3', '+03ab', '-1', '+'),
  })
  .map(({ ms, rounded, suffix }) => `/Date(${rounded > 1 ? Math.trunc(ms / rounded) * rounded : ms}${suffix})/`);

describe('ApiDateTime: one definition for the spec and the sandbox', () => {
  it('the sandbox parses with the spec’s own pattern', () => {
    expect(API_DATE_TIME_PATTERN.source).toBe(new RegExp(schemas.ApiDateTime?.pattern as string, 'u').source);
  });

  it('the schema accepts exactly what ApiDateTime.Parse accepts, but for days a month lacks', () => {
    fc.assert(
      fc.property(nearDates, (text) => {
        const parsed = parsesAsForm(text) !== undefined;
        const valid = formSchema(text) === true;
        if (parsed) expect(valid, text).toBe(true);
        else if (valid) expect(hasImpossibleDay(text) || /^9999-12-31T.*-/.test(text), text).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('the ApiDateTimeJson pattern accepts exactly what Json.NET and then ApiDateTime.Parse accept, but for days a month lacks', () => {
    fc.assert(
      fc.property(fc.oneof(nearDates, microsoftDates), (text) => {
        const result = parsesAsJson(text);
        // DateTime.MinValue is a missing deadline (r7-office.task.required-fields) whichever way it was written.
        if (result === MIN_VALUE) return;
        const parsed = result !== undefined;
        const matches = jsonPattern.test(text);
        if (parsed) expect(matches, text).toBe(true);
        else if (matches) expect(hasImpossibleDay(text) || /^9999-12-31T.*-/.test(text), text).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it.each([
    // The seven formats of ApiDateTime.Formats.
    ['o', '2027-05-06T10:00:00.1234567Z', '2027-05-06T10:00:00.1234567Z'],
    ['hyphens, 7 digits', '2027-05-06T10-00-00.1234567+03:00', '2027-05-06T07:00:00.1234567Z'],
    ['hyphens, 3 digits', '2008-04-10T06-30-00.000Z', '2008-04-10T06:30:00.0000000Z'],
    ['colons, 3 digits', '2027-05-06T10:00:00.120-0130', '2027-05-06T11:30:00.1200000Z'],
    ['hyphens, no fraction', '2027-05-06T10-00-00', '2027-05-06T10:00:00.0000000Z'],
    ['colons, no fraction', '2027-05-06T10:00:00+3:00', '2027-05-06T07:00:00.0000000Z'],
    ['the date alone', '2027-05-06', '2027-05-06T00:00:00.0000000Z'],
    ['an offset of 14 hours', '2027-05-06T10:00:00+14:00', '2027-05-05T20:00:00.0000000Z'],
    ['29 February of a leap year', '2024-02-29T12:00:00Z', '2024-02-29T12:00:00.0000000Z'],
    ['a day added to a result before year 1', '0001-01-01T00:00:00+01:00', '0001-01-01T23:00:00.0000000Z'],
  ])('accepts %s: %s → %s', (_name, text, utc) => {
    expect(formSchema(text)).toBe(true);
    expect(parsesAsForm(text)).toBe(utc);
  });

  it.each([
    ['a space instead of T', '2027-05-06 10:00:00'],
    ['a lower-case z', '2027-05-06T10:00:00z'],
    ['a 2-digit fraction', '2027-05-06T10:00:00.12Z'],
    ['an 8-digit fraction', '2027-05-06T10:00:00.12345678Z'],
    ['mixed separators', '2027-05-06T10:00-00'],
    ['no seconds', '2027-05-06T10:00'],
    ['hour 24', '2027-05-06T24:00:00'],
    ['an hour-only offset', '2027-05-06T10:00:00+03'],
    ['an offset beyond 14:00', '2027-05-06T10:00:00+14:01'],
    ['a day-first date', '06.05.2027'],
    ['a month 13', '2027-13-06'],
  ])('refuses %s: %s', (_name, text) => {
    expect(formSchema(text)).toBe(false);
    expect(parsesAsForm(text)).toBeUndefined();
  });

  it('refuses 30 February although the pattern admits it (the schema’s description says so)', () => {
    expect(formSchema('2027-02-30')).toBe(true);
    expect(parsesAsForm('2027-02-30')).toBeUndefined();
  });

  it('writes 7 fractional digits and Z (the sandbox portal is UTC)', () => {
    expect(
      formatApiDateTime(
        ticksOf({ year: 2027, month: 5, day: 6, hour: 10, minute: 0, second: 0, fraction: 120 }) as bigint,
      ),
    ).toBe('2027-05-06T10:00:00.0000120Z');
  });
});

describe('deadline on the wire', () => {
  let sandbox: RunningSandbox;
  let base: string;
  let token: string;

  beforeAll(async () => {
    sandbox = await startSandbox();
    base = sandbox.base['r7-office'] as string;
    token = await tokenFor(base);
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    await fetch(`${sandbox.origin}/_sandbox/reset`, { method: 'POST' });
  });

  const putJson = (deadline: unknown) =>
    call(base, { method: 'PUT', token, body: { title: 'T', deadline, categoryid: 1234 } });
  const putForm = (deadline: string) => {
    const f = form({ title: 'T', deadline, categoryid: '1234' });
    return call(base, { method: 'PUT', token, body: f.body, headers: f.headers });
  };
  const deadLine = async (res: Response) => {
    const { status, body, text } = await answer<TaskEnvelope>(res, 'updateTask');
    expect(status, text).toBe(200);
    return body.response.deadLine;
  };

  it.each([
    ['the date alone', '2027-05-06', '2027-05-06T00:00:00.0000000Z'],
    ['the page’s hyphen form', '2008-04-10T06-30-00.000Z', '2008-04-10T06:30:00.0000000Z'],
    ['hyphens and 7 digits', '2027-05-06T10-00-00.1234567Z', '2027-05-06T10:00:00.1234567Z'],
    ['colons and 7 digits', '2027-05-06T10:00:00.1234567Z', '2027-05-06T10:00:00.1234567Z'],
    ['colons and .000', '2027-05-06T10:00:00.000Z', '2027-05-06T10:00:00.0000000Z'],
    ['an offset', '2027-05-06T10:00:00+03:00', '2027-05-06T07:00:00.0000000Z'],
    ['no zone (portal time, UTC)', '2027-05-06T10:00:00', '2027-05-06T10:00:00.0000000Z'],
  ])('accepts %s alike in JSON and in a form: %s', async (_name, sent, answered) => {
    expect(await deadLine(await putJson(sent))).toBe(answered);
    expect(await deadLine(await putForm(sent))).toBe(answered);
  });

  it.each([
    // Json.NET reads these as dates and writes them back without trailing zeros, with Z, or with the server's offset.
    [
      'a 3-digit fraction with a trailing zero',
      '2027-05-06T10:00:00.120Z',
      undefined,
      'invalid date time format: 2027-05-06T10:00:00.12Z',
    ],
    [
      'a 7-digit fraction with trailing zeros',
      '2027-05-06T10:00:00.1200000Z',
      undefined,
      'invalid date time format: 2027-05-06T10:00:00.12Z',
    ],
    ['a lower-case z', '2027-05-06T10:00:00z', '2027-05-06T10:00:00.0000000Z', undefined],
    ['an hour-only offset', '2027-05-06T10:00:00+03', '2027-05-06T07:00:00.0000000Z', undefined],
    ['hour 24', '2027-05-06T24:00:00', '2027-05-07T00:00:00.0000000Z', undefined],
  ])('JSON differs from a form for %s (%s)', async (_name, sent, json, jsonMessage) => {
    if (json) expect(await deadLine(await putJson(sent))).toBe(json);
    else await expectError(await putJson(sent), 'updateTask', 'invalid-argument', jsonMessage);
    if (json)
      await expectError(await putForm(sent), 'updateTask', 'invalid-argument', `invalid date time format: ${sent}`);
    else expect(await deadLine(await putForm(sent))).toMatch(/^2027-05-06T10:00:00\.1200000Z$/);
  });

  it('reads /Date(milliseconds)/ in JSON', async () => {
    expect(await deadLine(await putJson('/Date(1809597600000)/'))).toBe('2027-05-06T10:00:00.0000000Z');
  });

  it.each([
    ['a value under 7 characters', '2027', 'invalid date time format'],
    ['a JSON number (its text)', 20270506, 'invalid date time format: 20270506'],
    ['a day-first date', '06.05.2027', 'invalid date time format: 06.05.2027'],
    ['30 February', '2027-02-30', 'invalid date time format: 2027-02-30'],
  ])('refuses %s with 400 (ArgumentException)', async (_name, sent, message) => {
    await expectError(await putJson(sent), 'updateTask', 'invalid-argument', message);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['null', null],
    ['DateTime.MinValue', '0001-01-01T00:00:00'],
    ['DateTime.MinValue with 7 digits and Z', '0001-01-01T00:00:00.0000000Z'],
    // Json.NET clamps the local time to MinValue and writes it with the server's offset.
    ['0001-01-01T00:00:00+01:00 in JSON', '0001-01-01T00:00:00+01:00'],
  ])('answers a deadline that is %s as a missing one: 400 from the DAO', async (_name, deadline) => {
    const res = await call(base, {
      method: 'PUT',
      token,
      body: { title: 'T', categoryid: 1234, ...(deadline === undefined ? {} : { deadline }) },
    });
    await expectError(res, 'updateTask', 'invalid-argument', 'Value does not fall within the expected range.');
  });

  it('keeps 0001-01-01T00:00:00+01:00 from a form: a day is added, so it is no MinValue', async () => {
    expect(await deadLine(await putForm('0001-01-01T00:00:00+01:00'))).toBe('0001-01-01T23:00:00.0000000Z');
  });

  it('answers the PUT with the deadline to the tick; a GET reads the stored one, rounded to the second', async () => {
    expect(await deadLine(await putJson('2027-05-06T10:00:00.6543217Z'))).toBe('2027-05-06T10:00:00.6543217Z');
    expect((await readTask(base, token)).response.deadLine).toBe('2027-05-06T10:00:01.0000000Z');
  });
});
