import type { VendorModule } from '../server/vendor-module.ts';
import { ivvy } from './ivvy/index.ts';
import { odyssee } from './odyssee/index.ts';
import { r7Office } from './r7-office/index.ts';

/** Every vendor the sandbox serves; each name is a folder under specs/ and mocks/. */
export const vendorModules: readonly VendorModule[] = [odyssee, ivvy, r7Office];
