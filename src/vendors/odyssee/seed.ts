/**
 * The Odyssee sandbox data (sandbox-data.json, one list per entity): every entity the documented samples refer to,
 * with their ids and ERP keys, plus a few realistic records for the tests (an Open task status, more tasks, a job on
 * a mobile equipment, a logged activity). The records the API answers with (tasks, jobs, plannings, logs) are checked
 * against the spec's schemas when the sandbox starts, so the data cannot drift from the contract.
 *
 * A record the API answers (task, job, job_planning, task_activity_log) holds its columns only: foreign keys as
 * `*_id`, no helper field (`task_type_code`, embedded entities: `x-helper` in the spec), dates in the vendor's form;
 * a column it leaves out is stored at its default (the vendor stores no nulls), and each record is checked against
 * its answer schema (TaskAnswer, …) when the sandbox starts, so the data cannot drift from the contract. Entities no
 * operation answers (task_type, company, user, job_status, db_table, …) carry the fields the samples look them up
 * by (`code`, `reference_back_office`, `name`, `is_default`, `is_mobile_installation`). A db_table record's
 * `sandbox_entity` is the sandbox's own link from a table to the kind `to_id_in_table` names.
 */
import { readFileSync } from 'node:fs';
import { type OpenApiDocument, SpecValidator } from '../../spec/index.ts';
import type { SeedData } from '../../store/store.ts';
import { answerOf, completeRecord, kind, shapeOf } from './model.ts';

type Records = Record<string, Record<string, unknown>[]>;

const data = JSON.parse(readFileSync(new URL('./sandbox-data.json', import.meta.url), 'utf8')) as Records;

/** Entities answered by the API: the schema of the entity and the schema of its answer. */
const answered: Record<string, { schema: string; answer: string }> = {
  task: { schema: 'Task', answer: 'TaskAnswer' },
  job: { schema: 'Job', answer: 'JobAnswer' },
  job_planning: { schema: 'JobPlanning', answer: 'JobPlanning' },
  task_activity_log: { schema: 'TaskActivityLog', answer: 'TaskActivityLogAnswer' },
};

/** The sandbox data by entity (`task`, `job_status`, …), kinds not yet namespaced: what the tests read. */
export function sandboxData(): Records {
  return structuredClone(data);
}

export function seed(doc: OpenApiDocument): SeedData {
  const validator = new SpecValidator('odyssee', doc);
  const records = sandboxData();
  for (const [entity, { schema, answer }] of Object.entries(answered)) {
    const shape = shapeOf(doc, schema);
    const validate = validator.at(`#/components/schemas/${answer}`);
    records[entity] = (records[entity] ?? []).map((record, index) => {
      const complete = completeRecord(shape, record);
      if (!validate(answerOf(shape, complete))) {
        throw new Error(
          `odyssee sandbox data: ${entity}[${index}] is not a ${answer}: ${JSON.stringify(validate.errors)}`,
        );
      }
      return complete;
    });
  }
  return Object.fromEntries(Object.entries(records).map(([entity, list]) => [kind(entity), list]));
}
