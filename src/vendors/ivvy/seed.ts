/**
 * The iVvy sandbox data (sandbox-data.yaml): the records the documented samples refer to and a few more. Each kind
 * is namespaced (`ivvy.task`); tasks are stored exactly as getTaskList lists them, so the data file is checked
 * against the spec's `Task` schema when the sandbox starts.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { components } from '../../generated/ivvy.ts';
import { type OpenApiDocument, SpecValidator } from '../../spec/index.ts';
import type { SeedData } from '../../store/store.ts';

export type Task = components['schemas']['Task'];

/** The kinds of record the iVvy sandbox keeps. */
export const KIND = {
  task: 'ivvy.task',
  lead: 'ivvy.lead',
  contact: 'ivvy.contact',
  company: 'ivvy.company',
  companyContact: 'ivvy.companyContact',
  venue: 'ivvy.venue',
  user: 'ivvy.user',
} as const;

export interface Lead {
  id: number;
  /** An opportunity is a lead in the opportunity stage: a task given one must name its venue. */
  stage: 'lead' | 'opportunity';
  venueId: number | null;
  name: string;
}

export interface User {
  id: number;
  fullName: string;
  email: string;
}

export interface CompanyContact {
  /** `<companyId>:<contactId>` */
  id: string;
  companyId: number;
  contactId: number;
}

export const companyContactId = (companyId: number, contactId: number): string => `${companyId}:${contactId}`;

const data = parse(readFileSync(new URL('./sandbox-data.yaml', import.meta.url), 'utf8')) as SeedData;

/** New task ids start above every task id of the sandbox data. */
export const taskIdFloor = Math.max(0, ...(data[KIND.task] ?? []).map((t) => Number(t.id)));

export function seed(doc: OpenApiDocument): SeedData {
  const validate = new SpecValidator('ivvy', doc).at('#/components/schemas/Task');
  for (const [index, task] of (data[KIND.task] ?? []).entries()) {
    if (!validate(task)) {
      throw new Error(`ivvy sandbox data: ${KIND.task}[${index}] is not a Task: ${JSON.stringify(validate.errors)}`);
    }
  }
  return structuredClone(data);
}
