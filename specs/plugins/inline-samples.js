// Redocly plugin: inlines the JSON samples that examples point at with `externalValue` (mocks/…) as their `value`
// before any rule runs, so `no-invalid-media-type-examples` checks every documented JSON sample against its schema
// (and `.redocly.lint-ignore.yaml` names the ones the vendors' own pages got wrong). XML samples stay external:
// the linter would compare the XML string with the object schema; test/specs/samples.test.ts validates them
// parsed. Bundling (docs, src/spec/load.ts) inlines every externalValue anyway.
const inlineJsonSamples = () => ({
  Example: {
    enter(example, ctx) {
      if (typeof example.externalValue !== 'string' || !example.externalValue.endsWith('.json')) return;
      const resolved = ctx.resolve({ $ref: example.externalValue });
      if (resolved.node === undefined) return;
      example.value = resolved.node;
      delete example.externalValue;
    },
  },
});

export default function inlineSamples() {
  return {
    id: 'samples',
    preprocessors: { oas3: { 'inline-json-samples': inlineJsonSamples } },
  };
}
