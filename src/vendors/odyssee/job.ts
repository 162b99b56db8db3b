/**
 * `PUT`/`GET /api/Jobs({jobId})` and `GET /api/Jobs({plannedJobId})/job_planning`: the job rules of vendor page seed 004 (x-rules
 * `odyssee.job.*`, `odyssee.job-planning.*`).
 */
import { randomUUID } from 'node:crypto';
import { VendorError } from '../../server/errors.ts';
import type { HandlerContext, HandlerResult } from '../../server/vendor-module.ts';
import type { Records } from '../../store/store.ts';
import { checkBodyKey, checkGroups, existing, refuseUnsupported, urlKey } from './common.ts';
import {
  addMinutes,
  answerOf,
  columnsOf,
  completeRecord,
  type EntityShape,
  entityShape,
  isUnset,
  type Job,
  type JobPlanning,
  kind,
  odataContext,
  type StoredRecord,
  serviceRoot,
  vendorDate,
} from './model.ts';
import { jobReferences, resolveReferences } from './references.ts';

const rule = {
  exists: 'odyssee.job.exists',
  keyMatchesPath: 'odyssee.job.key-matches-path',
  foreignKeysExist: 'odyssee.job.foreign-keys-exist',
  mobileAddress: 'odyssee.job.mobile-address',
  planningJobExists: 'odyssee.job-planning.job-exists',
} as const;

/** The job status whose suggested user and start add a job planning (odyssee.job.suggested-adds-planning). */
const SUGGESTED: NonNullable<Job['job_status_code']> = 'Suggested';

/** Mandatory when the job is on a mobile equipment (odyssee.job.mobile-address). */
const mobileAddressFields: readonly (keyof Job)[] = ['db_address_street', 'db_address_city', 'db_address_zip'];

/** Plannings per page of the collection (the vendor's lists hold 20). */
const PAGE_SIZE = 20;

const answer = (ctx: HandlerContext, shape: EntityShape, job: StoredRecord): HandlerResult => ({
  status: 200,
  body: { '@odata.context': odataContext(ctx.request, 'Jobs/$entity'), ...answerOf(shape, job) },
});

export async function getJob(ctx: HandlerContext): Promise<HandlerResult> {
  refuseUnsupported(ctx);
  const shape = entityShape(ctx.doc, 'Job');
  return answer(ctx, shape, await existing(ctx.store, ctx.tenant, 'job', urlKey(ctx), rule.exists));
}

/**
 * The PUT replaces the job (updateJob's x-choice): every column the body leaves out takes its default, except the
 * server-managed ones (id, id2, date_create, date_update, modified_dateutc) and company_id, which the project gives
 * when the body names none.
 */
export async function updateJob(ctx: HandlerContext): Promise<HandlerResult> {
  refuseUnsupported(ctx);
  const shape = entityShape(ctx.doc, 'Job');
  const key = urlKey(ctx);
  const body = ctx.body as Job & Record<string, unknown>;
  checkBodyKey(body, key, rule.keyMatchesPath);
  checkGroups(ctx, body);
  const job = await ctx.store.transaction(ctx.tenant, async (tx) => {
    const stored = completeRecord(shape, await existing(tx, ctx.tenant, 'job', key, rule.exists));
    const refs = await resolveReferences(tx, ctx.tenant, body, jobReferences, rule.foreignKeysExist);
    const next = completeRecord(shape, { ...columnsOf(shape, body), ...refs.fields });
    const project = refs.resolved.get('project_id');

    const blank = onMobileEquipment(project, next)
      ? mobileAddressFields.filter((f) => typeof next[f] !== 'string' || (next[f] as string).trim() === '')
      : [];
    if (blank.length > 0) {
      throw new VendorError(
        'validation-failed',
        blank.map((f) => ({
          target: f,
          message: 'is required when the job is on a mobile equipment (its installation is mobile)',
          rule: rule.mobileAddress,
        })),
      );
    }
    if (refs.missing.length > 0) throw new VendorError('foreign-key-not-found', refs.missing);

    const now = vendorDate();
    const empty = shape.defaults.date_create;
    next.id = stored.id;
    // id2 is the job's internal number: kept, a value sent is ignored (updateJob's x-choice).
    next.id2 = stored.id2;
    if (isUnset(body.date_create)) next.date_create = stored.date_create !== empty ? stored.date_create : now;
    // company_id: "This field will be filled automatically based on the project_id" (seed 004).
    if (isUnset(next.company_id) && project && !isUnset(project.company_id)) next.company_id = project.company_id;
    next.date_update = now;
    next.modified_dateutc = now;
    const clean = completeRecord(shape, next);
    await tx.put(ctx.tenant, kind('job'), clean.id, clean);
    await addSuggestedPlanning(
      tx,
      ctx.tenant,
      clean,
      refs.resolved.get('job_status_id'),
      shape.defaults.suggested_date_start,
      now,
    );
    return clean;
  });
  return answer(ctx, shape, job);
}

/**
 * odyssee.job.mobile-address: whether the job is on a mobile equipment. Mobility is a property of the installation
 * (the job's project, `is_mobile_installation`): read from the project the job names (stored, or embedded in the
 * body); only when that project does not say, the page's own reading: a job without db_address_id is on a mobile
 * equipment.
 */
function onMobileEquipment(project: StoredRecord | undefined, job: StoredRecord): boolean {
  const mobile = project?.is_mobile_installation;
  return typeof mobile === 'boolean' ? mobile : isUnset(job.db_address_id);
}

/**
 * odyssee.job.suggested-adds-planning: a job in status Suggested (its job status, named by id or by code) with a
 * suggested user (by id, code or embedded, all resolved to suggested_user_id) and a suggested start (not the empty
 * date) gets a planning for that user at that start, ending
 * estimated_time minutes later. Saving the same job again does not add the same planning twice.
 */
async function addSuggestedPlanning(
  store: Records,
  tenant: string,
  job: StoredRecord,
  status: StoredRecord | undefined,
  unsetDate: unknown,
  now: string,
): Promise<void> {
  const { suggested_user_id: user, suggested_date_start: start } = job as Job;
  if (status?.code !== SUGGESTED || isUnset(user) || !user || !start || start === unsetDate) return;
  const plannings = await store.list<JobPlanning>(tenant, kind('job_planning'));
  if (plannings.some((p) => p.jobs_id === job.id && p.user_id === user && p.date_start === start)) return;
  const planning: JobPlanning = {
    id: randomUUID(),
    jobs_id: job.id,
    user_id: user,
    date_start: start,
    date_end: addMinutes(start, Math.max(0, (job as Job).estimated_time ?? 0)),
    modified_dateutc: now,
  };
  await store.put(tenant, kind('job_planning'), planning.id, planning);
}

export async function listJobPlannings(ctx: HandlerContext): Promise<HandlerResult> {
  refuseUnsupported(ctx, ['$top', '$skip']);
  const shape = entityShape(ctx.doc, 'JobPlanning');
  const job = await existing(ctx.store, ctx.tenant, 'job', urlKey(ctx), rule.planningJobExists);
  const skip = count(ctx, '$skip', 0);
  const top = Math.min(count(ctx, '$top', PAGE_SIZE), PAGE_SIZE);
  const all = (await ctx.store.list<JobPlanning>(ctx.tenant, kind('job_planning')))
    .filter((p) => p.jobs_id === job.id)
    .sort((a, b) => a.date_start.localeCompare(b.date_start) || a.id.localeCompare(b.id));
  const value = all.slice(skip, skip + top).map((planning) => answerOf(shape, planning));
  const more = top > 0 && skip + top < all.length;
  return {
    status: 200,
    body: {
      '@odata.context': odataContext(ctx.request, 'job_planning'),
      value,
      ...(more
        ? { '@odata.nextLink': `${serviceRoot(ctx.request)}/api/Jobs(${job.id})/job_planning?$skip=${skip + top}` }
        : {}),
    },
  };
}

/** A non-negative whole number from the query (`$skip`, `$top`); anything else is a validation failure. */
function count(ctx: HandlerContext, name: string, fallback: number): number {
  const raw = ctx.query[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new VendorError('validation-failed', [{ target: name, message: 'must be a non-negative integer' }]);
  }
  return n;
}
