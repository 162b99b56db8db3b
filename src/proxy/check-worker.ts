/**
 * The check worker (checks.ts `WorkerChecks`): builds the pipeline for the registry it is given by module URL, then
 * answers each job with what inspect.ts finds. A job that throws answers its error; the worker goes on.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { VendorDefinition } from '../server/vendor-module.ts';
import { loadAllSpecs } from '../spec/index.ts';
import { InlineChecks, type Job } from './checks.ts';

const port = parentPort;
if (!port) throw new Error('check-worker.ts runs as a worker thread');
const { module, export: name } = workerData as { module: string; export: string };

try {
  const definitions = (await import(module))[name] as readonly VendorDefinition[];
  const checks = await InlineChecks.create(definitions, await loadAllSpecs());
  port.on('message', (job: Job) => {
    const work =
      job.kind === 'request'
        ? checks.request(job.vendor, job.request)
        : job.kind === 'answer'
          ? checks.answer(job.vendor, job.operation, job.answer)
          : checks.exchange(job.vendor, job.request, job.answer);
    work.then(
      (result) => port.postMessage({ id: job.id, result }),
      (error: Error) => port.postMessage({ id: job.id, error: error.message }),
    );
  });
  port.postMessage({ ready: true });
} catch (error) {
  port.postMessage({ error: (error as Error).stack ?? String(error) });
}
