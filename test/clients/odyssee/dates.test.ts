/**
 * Dates as the vendor documents them. mirrors https://developers.odysseemobile.com/Documentation/HelpGuide/DataFormats
 * ("YYYY-MM-DDThh:mm:ss.fff", e.g. 2013-05-02T15:30:59.123; "YYYY-MM-DDThh:mm:ss.fffZ" for UTC; "Xml: Content-Type:
 * application/xml; charset=utf-8", "Json: Content-Type: application/json; charset=utf-8"), the seed pages' samples
 * (7 fractional digits and +00:00; the XML sample's .720Z) and the vendor's own answers
 * (https://developers.odysseemobile.com/Documentation/HelpGuide/HandlingErrors: "2015-05-28T11:26:22Z"): each form
 * is accepted by the sandbox, which answers it in its one form, and by the mock.
 */
import { describe, expect } from 'vitest';
import { useSandboxAndMock } from '../../support/fixtures.ts';
import { keys, odysseeAuthorization, send } from './client.ts';

// One sandbox and one mock for the file: each test that writes does so as a partner of its own.
const it = useSandboxAndMock();

const path = `/api/Task(${keys.task})`;
let users = 0;
/** A partner of its own per request, so that each starts from the sandbox data. */
const partner = () => odysseeAuthorization(`sandbox+dates${++users}`, 'sandbox', 'SANDBOX');

/** A task body naming its type, priority and company by id, as seed 000's sample does. */
const task = (dates: Record<string, string>) =>
  JSON.stringify({
    subject: 'Dates in the vendor forms',
    task_type_id: '86819a15-5d35-412e-9ba1-be52c6ea1a85',
    task_priority_id: '879d5425-6219-473e-9a54-eab2199b1a96',
    company_id: '8505b8a2-cdb4-4cbb-bd2b-2f7661e901b2',
    ...dates,
  });

const forms: [string, string, string][] = [
  ['DataFormats, no zone (UTC)', '2013-05-02T15:30:59.123', '2013-05-02T15:30:59.1230000+00:00'],
  ['DataFormats, UTC with Z', '2013-05-02T15:30:59.123Z', '2013-05-02T15:30:59.1230000+00:00'],
  ['the seed samples', '2026-06-02T05:45:07.0236252+00:00', '2026-06-02T05:45:07.0236252+00:00'],
  ['the XML sample', '2026-01-11T20:58:34.720Z', '2026-01-11T20:58:34.7200000+00:00'],
  ["the vendor's answers, no fraction", '2015-05-28T11:26:22Z', '2015-05-28T11:26:22.0000000+00:00'],
  ['seed 004 date_built, an offset and no fraction', '2025-10-08T00:00:00+00:00', '2025-10-08T00:00:00.0000000+00:00'],
];

describe.each(forms)('a date in the form of %s', (_name, sent, answered) => {
  it('the sandbox takes it in JSON and answers it in its one form', async ({ sandbox }) => {
    const res = await send(sandbox.base.odyssee as string, {
      path,
      body: task({ due_date: sent, date_start: sent }),
      authorization: partner(),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ due_date: answered, date_start: answered });
  });

  it('the sandbox takes it in XML (application/xml; charset=utf-8)', async ({ sandbox }) => {
    const xml =
      '<task xmlns:i="http://www.w3.org/2001/XMLSchema-instance">' +
      '<company_id>8505b8a2-cdb4-4cbb-bd2b-2f7661e901b2</company_id>' +
      `<due_date>${sent}</due_date>` +
      '<subject>Dates in XML</subject>' +
      '<task_priority_id>879d5425-6219-473e-9a54-eab2199b1a96</task_priority_id>' +
      '<task_type_id>86819a15-5d35-412e-9ba1-be52c6ea1a85</task_type_id>' +
      '</task>';
    const res = await send(sandbox.base.odyssee as string, {
      path,
      body: xml,
      format: 'xml',
      accept: 'application/xml',
      authorization: partner(),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`<due_date>${answered}</due_date>`);
  });

  it('the mock takes it', async ({ mock }) => {
    const res = await send(mock.bases.odyssee as string, { path, body: task({ due_date: sent }) });
    expect(res.status, res.headers.get('sl-violations') ?? '').toBe(200);
  });
});

describe('what is not a date in a documented form', () => {
  it.for<[string, string]>([
    ['30 February', '2013-02-30T15:30:59.123'],
    ['a date without a time ("All components are required!")', '2013-05-02'],
  ])('is refused by the sandbox and the mock: %s', async ([_name, value], { sandbox, mock }) => {
    const sandboxRes = await send(sandbox.base.odyssee as string, { path, body: task({ due_date: value }) });
    expect(sandboxRes.status).toBe(400);
    expect(await sandboxRes.json()).toMatchObject({ error: { code: 'ValidationFailed' } });
    const mockRes = await send(mock.bases.odyssee as string, { path, body: task({ due_date: value }) });
    expect(mockRes.status).toBe(400);
  });
});
