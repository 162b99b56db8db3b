/**
 * The start-up example check: every example of a spec against its schema, documented-invalid samples skipped on
 * purpose, and a mock that refuses to start on a broken example, naming it.
 */

import { describe, expect, it } from 'vitest';
import {
  checkExamples,
  documentedInvalidExamples,
  type ExampleProblem,
  InvalidExamplesError,
  startMock,
} from '../../src/mock/index.ts';
import { loadSpec, type OpenApiDocument, vendors } from '../../src/spec/index.ts';
import { registry } from '../../src/vendors/index.ts';

// biome-ignore lint/suspicious/noExplicitAny: the test reaches deep into a document to break one thing
type Doc = Record<string, any>;

/** A copy of a vendor's bundled spec with one thing broken. */
async function broken(vendor: string, breakIt: (doc: Doc) => void): Promise<OpenApiDocument> {
  const doc = structuredClone(await loadSpec(vendor)) as Doc;
  breakIt(doc);
  return doc as OpenApiDocument;
}

const json = 'application/json';
const ivvyOk = (d: Doc) => d.paths['/api/1.0/crm'].post.responses['200'].content[json].examples;

describe('checkExamples', () => {
  it.each(vendors.map((v) => [v.name]))('finds every example of %s valid', async (vendor) => {
    expect(checkExamples(vendor, await loadSpec(vendor))).toEqual([]);
  });

  it.each([
    [
      'a request body example',
      {
        vendor: 'odyssee',
        breakIt: (d: Doc) => {
          d.components.requestBodies.Task.content[json].examples['updateTask-seed'].value.task_type_id = 'x';
        },
        want: { example: 'updateTask-seed', where: 'PUT /api/Task({id}) request application/json' },
      },
    ],
    [
      'a response example',
      {
        vendor: 'r7-office',
        breakIt: (d: Doc) => {
          d.paths['/api/2.0/crm/task/{taskid}'].put.responses['200'].content[json].examples[
            'updateTask-corrected'
          ].value.status = 'ok';
        },
        want: { example: 'updateTask-corrected', where: 'PUT /api/2.0/crm/task/{taskid} 200 application/json' },
      },
    ],
    [
      'an XML example, read as XML',
      {
        vendor: 'odyssee',
        breakIt: (d: Doc) => {
          const example = d.components.responses.TaskActivityLogOk.content['application/xml'].examples[
            'saveTaskActivityLog-seed-xml'
          ] as { value: string };
          example.value = example.value.replace('<is_closed>true', '<is_closed>maybe');
        },
        want: { example: 'saveTaskActivityLog-seed-xml' },
      },
    ],
    [
      'a shared error example (a $ref to components/examples)',
      {
        vendor: 'odyssee',
        breakIt: (d: Doc) => {
          d.components.examples['not-found'].value.error.code = 42;
        },
        want: { example: 'not-found', pointer: '#/components/examples/not-found' },
      },
    ],
    [
      'a parameter example',
      {
        vendor: 'odyssee',
        breakIt: (d: Doc) => {
          d.components.parameters.Id.example = 'not-a-guid';
        },
        want: { example: 'example', pointer: '#/components/parameters/Id/example' },
      },
    ],
    [
      'an example inside a schema',
      {
        vendor: 'r7-office',
        breakIt: (d: Doc) => {
          d.components.schemas.AuthEnvelope.properties.count.example = 'one';
        },
        want: { example: 'example', pointer: '#/components/schemas/AuthEnvelope/properties/count/example' },
      },
    ],
    [
      "an iVvy example against its action's own schema, not the oneOf of every action's",
      {
        vendor: 'ivvy',
        breakIt: (d: Doc) => {
          // getTaskList's answer passes the operation's oneOf, but it is no addOrUpdateTask answer.
          ivvyOk(d)['addOrUpdateTask-seed'].value = structuredClone(ivvyOk(d)['getTaskList-first-page'].value);
        },
        want: {
          example: 'addOrUpdateTask-seed',
          schema: expect.stringContaining('/x-actions/addOrUpdateTask/responses/200/'),
        },
      },
    ],
  ])('names a broken %s', async (_name, { vendor, breakIt, want }) => {
    const problems = checkExamples(vendor, await broken(vendor, breakIt));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ vendor, ...want });
    expect((problems[0] as ExampleProblem).errors.length).toBeGreaterThan(0);
  });

  it('skips the request samples the mocks/ manifests document as invalid, and only those', async () => {
    expect([...documentedInvalidExamples('odyssee')]).toEqual(['updateJob-seed']);
    const doc = await loadSpec('odyssee');
    const problems = checkExamples('odyssee', doc, { documentedInvalid: new Set() });
    expect(problems.map((p) => p.example)).toEqual(['updateJob-seed']);
  });
});

describe('start-up', () => {
  it('refuses to start on a broken example, naming it', async () => {
    const doc = await broken('odyssee', (d) => {
      d.components.requestBodies.Task.content[json].examples['updateTask-seed'].value.subject = 7;
    });
    const started = startMock({ vendors: registry, port: 0, docs: { odyssee: doc } });
    await expect(started).rejects.toBeInstanceOf(InvalidExamplesError);
    await expect(started).rejects.toThrow(/odyssee: example "updateTask-seed" \(PUT \/api\/Task\(\{id\}\) request/);
    await expect(started).rejects.toThrow(/subject must be string/);
  });
});
