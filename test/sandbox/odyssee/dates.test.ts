/** The vendor's date form: how a date sent in any documented form is written, and minutes added to one. */
import { describe, expect, it } from 'vitest';
import { addMinutes, vendorDate } from '../../../src/vendors/odyssee/model.ts';

describe('dates', () => {
  it.each([
    ['UTC with 7 digits stays as it is', '2026-06-02T05:45:07.0236252+00:00', '2026-06-02T05:45:07.0236252+00:00'],
    ['Z with 3 digits', '2026-01-11T20:58:34.720Z', '2026-01-11T20:58:34.7200000+00:00'],
    [
      'an offset moves the time, not the fraction',
      '2026-01-01T01:30:00.1234567+02:00',
      '2025-12-31T23:30:00.1234567+00:00',
    ],
    ['more than 7 digits are cut', '2026-01-01T00:00:00.123456789Z', '2026-01-01T00:00:00.1234567+00:00'],
    ['no fraction, Z', '2015-05-28T11:26:22Z', '2015-05-28T11:26:22.0000000+00:00'],
    ['no zone: UTC', '2013-05-02T15:30:59.123', '2013-05-02T15:30:59.1230000+00:00'],
    ['one fractional digit', '2026-01-01T00:00:00.5+00:00', '2026-01-01T00:00:00.5000000+00:00'],
    ['the first .NET year', '0001-01-01T00:00:00', '0001-01-01T00:00:00.0000000+00:00'],
    ['an offset that would leave year 1 is left alone', '0001-01-01T00:00:00+01:00', '0001-01-01T00:00:00+01:00'],
    ['not a date-time is left alone', 'tomorrow', 'tomorrow'],
  ])('vendorDate: %s', (_name, given, want) => {
    expect(vendorDate(given)).toBe(want);
  });

  it.each([
    ['90 minutes', '2025-10-20T07:30:00.0000000+00:00', 90, '2025-10-20T09:00:00.0000000+00:00'],
    ['over midnight, fraction kept', '2025-10-20T23:30:00.1234567+00:00', 45, '2025-10-21T00:15:00.1234567+00:00'],
    ['zero', '2025-10-20T07:30:00Z', 0, '2025-10-20T07:30:00.0000000+00:00'],
  ])('addMinutes: %s', (_name, given, minutes, want) => {
    expect(addMinutes(given, minutes)).toBe(want);
  });
});
