/** The sandbox's R7-Office data: what the store holds and the sandbox data file (sandbox-data.json) provides. */

/** The store's kinds, one per entity of the sandbox data. */
export const kinds = {
  task: 'r7-office.task',
  category: 'r7-office.category',
  user: 'r7-office.user',
  contact: 'r7-office.contact',
  opportunity: 'r7-office.opportunity',
  case: 'r7-office.case',
} as const;

/**
 * The store's "tenant" for the task id sequence: one sequence for every partner, as the vendor's `crm_task.id` is
 * one AUTO_INCREMENT for every portal of a server. Partner tenants are `r7-office:<user>`, so this never clashes.
 */
export const TASK_ID_SEQUENCE = 'r7-office';

/** EmployeeWraper, as the vendor writes a user (id, displayName, title when set, avatarSmall, profileUrl). */
export interface User {
  id: string;
  displayName: string | null;
  title?: string;
  avatarSmall: string | null;
  profileUrl: string;
}

/** A task category (a CRM list item) as TaskCategoryBaseWrapper writes it: imagePath, title, description, color, sortOrder, id. */
export interface Category {
  imagePath?: string;
  title?: string;
  description?: string;
  color?: string;
  sortOrder?: number;
  id: number;
}

/** A contact as ContactBaseWithEmailWrapper writes it, for the sandbox user. */
export type Contact = Record<string, unknown> & { id: number };

/** An opportunity (deal) or a case: what a task's `entity` shows of it. */
export interface Entity {
  id: number;
  title: string;
}

/**
 * A row of `crm_task` as the vendor's TaskDao stores it: text as stored (a title of at most 255 characters), a
 * description that is null when none was sent, dates to the second (MySQL `datetime`) as .NET round-trip text with
 * `Z`, GUIDs in lower case, the entity type `opportunity`, `case` or `` (EntityType.Any).
 */
export interface StoredTask {
  id: number;
  title: string;
  description?: string | null;
  deadline: string;
  responsibleid: string;
  categoryid: number;
  contactid: number;
  entityType: 'opportunity' | 'case' | '';
  entityid: number;
  alertValue: number;
  isClosed: boolean;
  createBy: string;
  created: string;
}

export const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';
