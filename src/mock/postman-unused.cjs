// What Prism's operation reader gets for `require('@stoplight/http-spec/postman/operation')` (src/mock/prism.ts): the
// mock gives Prism OpenAPI documents only, never a Postman collection, and Postman's reader loads postman-collection
// (about 250 modules, 0.08 s and 30 MB at start-up) for nothing. Should Prism ever be handed a collection, it says so.
function transformPostmanCollectionOperations() {
  throw new Error('the mock reads OpenAPI documents only; Postman collections are not loaded (src/mock/prism.ts)');
}

module.exports = { transformPostmanCollectionOperations };
