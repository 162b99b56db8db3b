import { describe, expect, it } from 'vitest';
import { normaliseDeadline } from '../../../src/vendors/r7-office/deadline.ts';

describe('normaliseDeadline', () => {
  it.each([
    ['the page’s hyphenated form', { given: '2008-04-10T06-30-00.000Z', want: '2008-04-10T06:30:00.0000000Z' }],
    ['round-trip, 7 digits', { given: '2022-10-09T20:03:09.6137431Z', want: '2022-10-09T20:03:09.6137431Z' }],
    ['no offset: the portal’s zone, UTC', { given: '2008-04-10T06:30:00', want: '2008-04-10T06:30:00.0000000Z' }],
    ['±hh:mm across midnight', { given: '2008-04-10T01:30:00+03:00', want: '2008-04-09T22:30:00.0000000Z' }],
    ['±hhmm', { given: '2008-04-10T01:30:00-0130', want: '2008-04-10T03:00:00.0000000Z' }],
    ['leap day', { given: '2000-02-29T00:00:00Z', want: '2000-02-29T00:00:00.0000000Z' }],
    ['year 99 stays 0099', { given: '0099-03-01T00:00:00Z', want: '0099-03-01T00:00:00.0000000Z' }],
    ['one tick after "no date"', { given: '0001-01-01T00:00:00.0000001', want: '0001-01-01T00:00:00.0000001Z' }],
    ['30 February', { given: '2008-02-30T00:00:00Z', want: undefined }],
    ['29 February 1900', { given: '1900-02-29T00:00:00Z', want: undefined }],
    ['31 April', { given: '2008-04-31T00:00:00Z', want: undefined }],
    ['the vendor’s "no date"', { given: '0001-01-01T00:00:00', want: undefined }],
    ['before year 1 once in UTC', { given: '0001-01-01T00:30:00+01:00', want: undefined }],
    ['after 9999 once in UTC', { given: '9999-12-31T23:30:00-01:00', want: undefined }],
    ['not the form at all', { given: 'tomorrow', want: undefined }],
  ])('%s', (_name, { given, want }) => {
    expect(normaliseDeadline(given)).toBe(want);
  });
});
