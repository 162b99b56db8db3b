/**
 * Read, change one field, send the whole entity back: how a client that keeps the vendor's entity as an object
 * updates it. mirrors alexchukanov/OdysseeMobileTest Connector/MobileConnector.cs (UpdateCompany PUTs the whole
 * object it holds to `/Company({id})`; its Connector/Model.cs keeps the vendor's fields, the ERP-key helpers as
 * `object`, i.e. null, and no `@odata.context`). The answer of a GET carries every column and the helpers as null
 * (TaskAnswer, JobAnswer): sent back as it is, with one field changed, it must be accepted, in JSON and in XML
 * (DataContract: the helpers as `i:nil="true"`).
 */
import { describe, expect } from 'vitest';
import { useSandboxAndMock } from '../../support/fixtures.ts';
import { keys, odysseeAuthorization, send } from './client.ts';

// One sandbox and one mock for the file: each test that writes does so as a partner of its own.
const it = useSandboxAndMock();

let users = 0;
const partner = () => odysseeAuthorization(`sandbox+roundtrip${++users}`, 'sandbox', 'SANDBOX');

/** The fields the server stamps on every write: they differ between the read and the answer to the write. */
const stamped = ['modified_dateutc', 'date_update'];
const withoutStamped = (entity: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(entity).filter(([k]) => !stamped.includes(k)));

describe.each([
  ['task', `/api/Task(${keys.task})`, 'subject'],
  ['job', `/api/Jobs(${keys.job})`, 'name'],
])('a %s read and sent back whole', (_entity, path, field) => {
  it('in JSON: the sandbox keeps every other column as it was', async ({ sandbox }) => {
    const authorization = partner();
    const read = (await (await send(sandbox.base.odyssee as string, { path, authorization })).json()) as Record<
      string,
      unknown
    >;
    const { '@odata.context': _context, ...entity } = read;
    const res = await send(sandbox.base.odyssee as string, {
      path,
      body: JSON.stringify({ ...entity, [field]: 'Changed by a round trip' }),
      authorization,
    });
    expect(res.status).toBe(200);
    const written = (await res.json()) as Record<string, unknown>;
    expect(withoutStamped(written)).toEqual(withoutStamped({ ...read, [field]: 'Changed by a round trip' }));
  });

  it('in XML: the sandbox takes back its own DataContract answer, nil helpers included', async ({ sandbox }) => {
    const authorization = partner();
    const xml = await (
      await send(sandbox.base.odyssee as string, { path, accept: 'application/xml', authorization })
    ).text();
    expect(xml).toContain('i:nil="true"');
    const changed = xml.replace(new RegExp(`<${field}>[^<]*</${field}>`), `<${field}>Changed in XML</${field}>`);
    const res = await send(sandbox.base.odyssee as string, {
      path,
      body: changed,
      format: 'xml',
      accept: 'application/xml',
      authorization,
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.text()).toContain(`<${field}>Changed in XML</${field}>`);
  });

  it("the mock takes back its own answer's example", async ({ mock }) => {
    const read = (await (await send(mock.bases.odyssee as string, { path })).json()) as Record<string, unknown>;
    const { '@odata.context': _context, ...entity } = read;
    const res = await send(mock.bases.odyssee as string, {
      path,
      body: JSON.stringify({ ...entity, [field]: 'Changed by a round trip' }),
    });
    expect(res.status, res.headers.get('sl-violations') ?? '').toBe(200);
  });
});

describe('a foreign key the client does not set, sent as the empty GUID', () => {
  // mirrors alexchukanov/OdysseeMobileTest Connector/MobileConnector.cs LoadCompanyCsv:
  // company.parent_id = "00000000-0000-0000-0000-000000000000" (and feelist_id, company_type_id, …)
  const empty = '00000000-0000-0000-0000-000000000000';
  const body = JSON.stringify({
    subject: 'Unset foreign keys as the empty GUID',
    task_type_id: '86819a15-5d35-412e-9ba1-be52c6ea1a85',
    task_priority_id: '879d5425-6219-473e-9a54-eab2199b1a96',
    company_id: '8505b8a2-cdb4-4cbb-bd2b-2f7661e901b2',
    contact_id: empty,
    requested_by_company_id: empty,
    to_db_table_id: empty,
    to_id_in_table: empty,
  });

  it('names nothing: the sandbox stores no reference and refuses nothing', async ({ sandbox }) => {
    const res = await send(sandbox.base.odyssee as string, {
      path: `/api/Task(${keys.task})`,
      body,
      authorization: partner(),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      contact_id: empty,
      requested_by_company_id: empty,
      to_id_in_table: empty,
    });
  });

  it('the mock takes it', async ({ mock }) => {
    const res = await send(mock.bases.odyssee as string, { path: `/api/Task(${keys.task})`, body });
    expect(res.status, res.headers.get('sl-violations') ?? '').toBe(200);
  });
});
