/**
 * The Odyssee sandbox data (sandbox-data.json, one list per entity): every entity the documented samples refer to,
 * with their ids and ERP keys, plus a few realistic records for the tests (an Open task status, more tasks, a job on
 * a mobile equipment, a logged activity). The records the API answers with (tasks, jobs, plannings, logs) are checked
 * against the spec's schemas when the sandbox starts, so the data cannot drift from the contract.
 *
 * Each record is stored as the API would answer it: flat, foreign keys as `*_id` plus the matching ERP key
 * (`task_type_code`, …), dates in the vendor's form. Entities no operation answers (task_type, company, user,
 * job_status, db_table, …) carry the fields the samples look them up by (`code`, `reference_back_office`, `name`).
 * A db_table record's `sandbox_entity` is the sandbox's own link from a table to the kind `to_id_in_table` names.
 */
import { readFileSync } from 'node:fs';
import { type OpenApiDocument, SpecValidator } from '../../spec/index.ts';
import type { SeedData } from '../../store/store.ts';
import { kind } from './model.ts';

type Records = Record<string, Record<string, unknown>[]>;

const data = JSON.parse(readFileSync(new URL('./sandbox-data.json', import.meta.url), 'utf8')) as Records;

/** Entities answered by the API, and the schema each record must satisfy. */
const answered: Record<string, string> = {
  task: 'Task',
  job: 'Job',
  job_planning: 'JobPlanning',
  task_activity_log: 'TaskActivityLog',
};

/** The sandbox data by entity (`task`, `job_status`, …), kinds not yet namespaced: what the tests read. */
export function sandboxData(): Records {
  return structuredClone(data);
}

export function seed(doc: OpenApiDocument): SeedData {
  const validator = new SpecValidator('odyssee', doc);
  for (const [entity, schema] of Object.entries(answered)) {
    const validate = validator.at(`#/components/schemas/${schema}`);
    for (const [index, record] of (data[entity] ?? []).entries()) {
      if (!validate(record)) {
        throw new Error(
          `odyssee sandbox data: ${entity}[${index}] is not a ${schema}: ${JSON.stringify(validate.errors)}`,
        );
      }
    }
  }
  return Object.fromEntries(Object.entries(sandboxData()).map(([entity, records]) => [kind(entity), records]));
}
