import type { SeedData } from '../../store/store.ts';
import {
  type ContactRef,
  kinds,
  type StoredEntity,
  type StoredTask,
  type TaskCategory,
  type UserRef,
} from './model.ts';
import data from './sandbox-data.json' with { type: 'json' };

/** The readable sandbox data (sandbox-data.json): users, task categories, contacts, opportunities, cases, tasks. */
export interface SandboxData {
  /** In the vendor's field order, ids lower-case (the vendor writes GUIDs in lower case). */
  users: UserRef[];
  /** In the vendor's field order (the page's sample: imagePath, title, description, sortOrder, id). */
  categories: TaskCategory[];
  contacts: ContactRef[];
  opportunities: StoredEntity[];
  cases: StoredEntity[];
  tasks: StoredTask[];
}

/** The file as typed data; test/sandbox/r7-office/seed.test.ts checks each record against the spec's schemas. */
export const sandboxData = data as SandboxData;

/**
 * Every tenant starts from this data. It holds what the page's corrected sample names (task, category, contact and
 * opportunity 1234, user 9924256A-739C-462b-AF15-E652A3B1B6EB) and the response sample's Mike Zanyatski and
 * category 30 "Appointment".
 */
export function seed(): SeedData {
  return {
    [kinds.user]: sandboxData.users,
    [kinds.category]: sandboxData.categories,
    [kinds.contact]: sandboxData.contacts,
    [kinds.opportunity]: sandboxData.opportunities,
    [kinds.case]: sandboxData.cases,
    [kinds.task]: sandboxData.tasks,
  };
}
