/**
 * Fastify's own schema compilers (AJV for route schemas, fast-json-stringify for response schemas), loaded only
 * when a route declares a Fastify schema. The pipeline declares none: it validates with the spec's own validators
 * (src/spec/validator.ts, precompiled by `npm run generate`) and writes bodies as each vendor writes them. Fastify
 * would otherwise load both compilers, AJV's included, when the instance is created.
 */
import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

type Compilers = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

/** Resolved from Fastify's own folder: they are its dependencies, not the project's. */
const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));

export const lazySchemaCompilers: Required<Compilers> = {
  buildValidator: ((...args: unknown[]) =>
    fromFastify('@fastify/ajv-compiler')()(...args)) as Required<Compilers>['buildValidator'],
  buildSerializer: ((...args: unknown[]) =>
    fromFastify('@fastify/fast-json-stringify-compiler')()(...args)) as Required<Compilers>['buildSerializer'],
};
