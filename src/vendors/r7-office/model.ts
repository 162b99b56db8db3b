import type { components } from '../../generated/r7-office.ts';

type Schemas = components['schemas'];
export type Task = Schemas['Task'];
export type TaskEnvelope = Schemas['TaskEnvelope'];
export type UpdateTaskRequest = Schemas['UpdateTaskRequest'];
export type UserRef = Schemas['UserRef'];
export type ContactRef = Schemas['ContactRef'];
export type TaskCategory = Schemas['TaskCategory'];
export type EntityRef = Schemas['EntityRef'];
export type EntityType = EntityRef['entityType'];

/** The store's kinds, one per entity of the sandbox data (src/vendors/r7-office/sandbox-data.json). */
export const kinds = {
  task: 'r7-office.task',
  category: 'r7-office.category',
  user: 'r7-office.user',
  contact: 'r7-office.contact',
  opportunity: 'r7-office.opportunity',
  case: 'r7-office.case',
} as const;

/** The kind of the entities an `entityType` names. */
export const entityKinds: Readonly<Record<EntityType, string>> = { opportunity: kinds.opportunity, case: kinds.case };

/** An opportunity or a case: what a task's `entity` shows of it. */
export type StoredEntity = {
  id: number;
  title: string;
};

/**
 * A task as stored: the request's fields as the vendor keeps them (every field present, defaults filled in, the
 * deadline normalised, GUIDs and entityType lower-cased), plus what an update does not change (created, its
 * author, whether it is closed). References stay ids; the answer resolves them (task-view.ts).
 */
export type StoredTask = Required<Omit<UpdateTaskRequest, 'isNotify' | 'description'>> &
  Pick<UpdateTaskRequest, 'description'> & {
    id: number;
    created: string;
    /** The author's user id (GUID). */
    createBy: string;
    isClosed: boolean;
  };

/** The GUID the vendor stores when no responsible user is given. */
export const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';
