#!/usr/bin/env node
import Fastify, { type FastifyInstance } from 'fastify';
import { runCommand, UsageError } from '../src/cli/command.ts';
import { loadConfig } from '../src/config.ts';
import { BODY_LIMIT } from '../src/server/app.ts';
import { fastifyUrl } from '../src/server/routes.ts';
import { SpecValidator } from '../src/spec/index.ts';
import { issueToken } from '../src/vendors/r7-office/auth.ts';
import { AUTHENTICATION_PATH } from '../src/vendors/r7-office/client.ts';
/**
 * The ceiling: what Fastify does for a case's request with nothing of the sandbox around it. One route per case,
 * at the sandbox's URL, whose body is parsed as the sandbox parses it (JSON with Fastify's parser, XML with the
 * project's parser) and validated with the same AJV schema, compiled from the spec
 * (`SpecValidator.at(requestSchemaPointer(...))`); a valid body is answered 200 with the sample's own bytes, in the
 * request's content type. No auth, no store, no rules, no serialisation.
 *
 * It also answers R7-Office's sign-in with a token of the sandbox's form, so the client code that authorises a
 * request (src/contract/clients.ts) works against it as against every other server; that route is not measured.
 *
 *   node bench/ceiling.ts --port 3100 [--cases odyssee-task-put,r7-task-update]
 */
import { credentials as r7Credentials } from '../src/vendors/r7-office/settings.ts';
import { parseXml } from '../src/xml/parse.ts';
import { type BenchCase, type PreparedCase, prepareCases, selectCases } from './cases.ts';

const isXml = (mediaType: string) => /[/+]xml$/.test(mediaType);

export function buildCeiling(cases: readonly PreparedCase[]): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT });
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(['application/json', 'text/json'], { parseAs: 'buffer' }, (req, body, done) =>
    defaultJson(req, body as unknown as string, done),
  );
  app.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'buffer' }, (_req, body, done) => {
    try {
      done(null, parseXml((body as Buffer).toString('utf8')).value);
    } catch (error) {
      done(error as Error);
    }
  });

  // As the sandbox: one strict validator per spec for JSON bodies, one coercing validator for XML bodies.
  const validators = new Map<string, SpecValidator>();
  const validatorFor = (c: PreparedCase): SpecValidator => {
    const key = `${c.vendor}\0${isXml(c.mediaType)}`;
    let found = validators.get(key);
    if (!found) {
      found = new SpecValidator(c.vendor, c.doc, { coerceTypes: isXml(c.mediaType) });
      validators.set(key, found);
    }
    return found;
  };

  for (const c of cases) {
    const validate = validatorFor(c).at(c.schemaPointer);
    const contentType = `${c.mediaType}; charset=utf-8`;
    app.route({
      method: c.method,
      url: fastifyUrl(c.prefix, c.template),
      handler: async (request, reply) => {
        if (!validate(request.body)) return reply.code(400).send({ errors: validate.errors });
        return reply.type(contentType).send(c.body);
      },
    });
  }

  const r7 = cases.find((c) => c.vendor === 'r7-office');
  if (r7) {
    const config = loadConfig([], process.env);
    app.post(r7.prefix + AUTHENTICATION_PATH, async (_request, reply) => {
      const { token, expires } = issueToken(r7Credentials(config).user, config);
      return reply.code(201).send({ count: 1, response: { token, expires: expires.toISOString() }, status: 0 });
    });
  }
  return app;
}

if (import.meta.main) {
  await runCommand(
    'ceiling',
    {
      name: 'node bench/ceiling.ts',
      summary:
        "The ceiling: a bare Fastify route per bench case at the sandbox's URL, the same AJV schema from the spec, no other work (the yardstick of npm run bench).",
      flags: {
        port: {
          type: 'string',
          value: 'port',
          description: 'the port it listens on, on 127.0.0.1 (0: any free one)',
          default: 0,
        },
        cases: { type: 'string', value: 'ids', description: 'comma-separated case ids (default: all)' },
      },
    },
    async (values) => {
      const port = Number(values.port ?? 0);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UsageError(`--port must be a port number, got ${values.port}`);
      let selected: BenchCase[];
      try {
        selected = selectCases(values.cases?.split(',').filter(Boolean));
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      const cases = await prepareCases(selected);
      const app = buildCeiling(cases);
      const address = await app.listen({ host: '127.0.0.1', port });
      console.log(`ceiling ready: ${address} (${cases.map((c) => c.id).join(', ')})`);
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        process.once(signal, () => {
          void app.close().then(() => process.exit(0));
        });
      }
      return 0;
    },
  );
}
