// `node --import ./record-modules.mjs …`: appends the URL of every module the process resolves (imports and
// requires alike) to the file named by RECORD_MODULES, one per line. Used by test/core/startup-imports.test.ts.
import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const out = process.env.RECORD_MODULES;
if (out) {
  registerHooks({
    resolve(specifier, context, next) {
      const resolved = next(specifier, context);
      appendFileSync(out, `${resolved.url}\n`);
      return resolved;
    },
  });
}
