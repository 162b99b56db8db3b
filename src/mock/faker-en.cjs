// What Prism's generator gets for `require('@faker-js/faker')` (src/mock/prism.ts): faker with its English data only,
// shaped as faker's own entry point (`.default`, `.faker`). Faker's entry point loads every locale (about 0.4 s and
// 50 MB at start-up) and then answers in English, its default locale, which nothing here changes: the values are the
// same. Resolved from Prism's own folder, so it is the faker Prism depends on.
const { createRequire } = require('node:module');

const fromPrism = createRequire(require.resolve('@stoplight/prism-http'));
const faker = fromPrism('@faker-js/faker/locale/en');

module.exports = { __esModule: true, default: faker, faker };
