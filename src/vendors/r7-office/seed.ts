import type { SeedData } from '../../store/store.ts';
import { type Category, type Contact, type Entity, kinds, type StoredTask, type User } from './model.ts';
import data from './sandbox-data.json' with { type: 'json' };

/** The readable sandbox data (sandbox-data.json). */
export interface SandboxData {
  /** The portal's address, in profile URLs. */
  portal: string;
  /** The user every sandbox login signs in as (each login in its own portal): the author of what it creates. */
  caller: string;
  /** Constants.LostUser as EmployeeWraper writes it: an unknown or removed user. */
  lostUser: User;
  users: User[];
  categories: Category[];
  contacts: Contact[];
  opportunities: Entity[];
  cases: Entity[];
  tasks: StoredTask[];
}

/** The file as typed data; test/sandbox/r7-office/seed.test.ts checks each record against the spec's schemas. */
export const sandboxData = data as SandboxData;

/** The highest task id of the sandbox data: new tasks are numbered above it. */
export const taskIdFloor = Math.max(0, ...sandboxData.tasks.map((t) => t.id));

/**
 * Every tenant starts from this data. It holds what the page's corrected sample names (task, category, contact and
 * opportunity 1234, user 9924256A-739C-462b-AF15-E652A3B1B6EB) and the response sample's Mike Zanyatski and
 * category 30 "Appointment".
 */
export function seed(): SeedData {
  return {
    [kinds.user]: sandboxData.users as unknown as Record<string, unknown>[],
    [kinds.category]: sandboxData.categories as unknown as Record<string, unknown>[],
    [kinds.contact]: sandboxData.contacts,
    [kinds.opportunity]: sandboxData.opportunities as unknown as Record<string, unknown>[],
    [kinds.case]: sandboxData.cases as unknown as Record<string, unknown>[],
    [kinds.task]: sandboxData.tasks as unknown as Record<string, unknown>[],
  };
}
