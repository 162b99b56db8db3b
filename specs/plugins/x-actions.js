// Redocly plugin: types an operation's `x-actions` map (iVvy's actions, specs/README.md "iVvy: one path, many
// actions"), so Redocly reads an action's `requestBody` as a Schema and its `responses` as Responses. Without it an
// extension is opaque: the bundler leaves the relative `$ref`s inside it as file paths, which the bundled document
// cannot resolve. Typed, they bundle like every other ref, to the root's component names
// (`#/components/schemas/AddOrUpdateTaskRequest`), and lint checks them.
const XAction = {
  properties: {
    summary: { type: 'string' },
    description: { type: 'string' },
    requestBody: 'Schema',
    responses: 'Responses',
    // The operation's named examples that belong to the action: { request: [names], response: [names] }.
    examples: { type: 'object' },
    // The x-errors keys the action raises.
    errors: { type: 'array', items: { type: 'string' } },
  },
  extensionsPrefix: 'x-',
};

export default function xActions() {
  return {
    id: 'x-actions',
    typeExtension: {
      oas3(types) {
        return {
          ...types,
          XAction,
          XActionMap: { properties: {}, additionalProperties: 'XAction' },
          Operation: { ...types.Operation, properties: { ...types.Operation.properties, 'x-actions': 'XActionMap' } },
        };
      },
    },
  };
}
