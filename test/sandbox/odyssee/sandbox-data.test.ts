/** The Odyssee sandbox data itself: job statuses, records that answer as the spec says, unique keys. */
import { describe, expect, it } from 'vitest';
import { loadSpec, SpecValidator } from '../../../src/spec/index.ts';
import { answerOf, shapeOf } from '../../../src/vendors/odyssee/model.ts';
import { sandboxData } from '../../../src/vendors/odyssee/seed.ts';
import { vendorDateForm } from './helpers.ts';

/** A seed record holds columns only, conforms to its answer schema and writes every date in the vendor form. */
function expectAnsweredRecord(
  entity: string,
  shape: ReturnType<typeof shapeOf>,
  validate: (value: unknown) => boolean,
  record: Record<string, unknown>,
): void {
  for (const helper of shape.helpers) expect(record, `${entity} ${record.id}`).not.toHaveProperty(helper);
  expect(validate(answerOf(shape, record)), `${entity} ${record.id}`).toBe(true);
  for (const field of shape.dates) if (record[field] !== undefined) expect(record[field]).toMatch(vendorDateForm);
}

describe('sandbox data', () => {
  it('has a job status for every job_status_code of the spec', async () => {
    const doc = await loadSpec('odyssee');
    const job = doc.components?.schemas?.JobFields as { properties: { job_status_code: { enum: (string | null)[] } } };
    const codes = (sandboxData().job_status ?? []).map((s) => s.code);
    expect(codes.sort()).toEqual(job.properties.job_status_code.enum.filter((c) => c !== null).sort());
    expect(sandboxData().job_status?.find((s) => s.id === 'ba23a900-2aff-4c48-8622-2fdd5a8552a1')?.code).toBe('Open');
  });

  it('every answered record holds columns only, conforms to its answer schema, every date in the vendor form', async () => {
    const doc = await loadSpec('odyssee');
    const validator = new SpecValidator('odyssee', doc);
    const schemas = {
      task: ['Task', 'TaskAnswer'],
      job: ['Job', 'JobAnswer'],
      job_planning: ['JobPlanning', 'JobPlanning'],
      task_activity_log: ['TaskActivityLog', 'TaskActivityLogAnswer'],
    };
    for (const [entity, [schema, answer]] of Object.entries(schemas)) {
      const validate = validator.at(`#/components/schemas/${answer}`);
      const shape = shapeOf(doc, schema as string);
      for (const record of sandboxData()[entity] ?? []) expectAnsweredRecord(entity, shape, validate, record);
    }
  });

  it('keys are unique within each entity', () => {
    for (const [entity, records] of Object.entries(sandboxData())) {
      for (const key of ['id', 'code', 'reference_back_office', 'name']) {
        if (key === 'name' && entity !== 'db_table') continue;
        const values = records.map((r) => r[key]).filter((v) => v !== undefined);
        expect(new Set(values).size, `${entity}.${key}`).toBe(values.length);
      }
    }
  });
});
