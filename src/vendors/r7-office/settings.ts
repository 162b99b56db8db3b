/** The R7-Office sandbox account: a portal user's e-mail and password. */
import { type Config, type VendorSetting, vendorSettings } from '../../config.ts';

export const settings = {
  user: { env: 'R7_USER', default: 'sandbox@example.com', description: 'R7-Office user name' },
  password: { env: 'R7_PASSWORD', default: 'sandbox', description: 'R7-Office password' },
} as const satisfies Record<string, VendorSetting>;

export const credentials = (config: Readonly<Config>) =>
  vendorSettings(config, { name: 'r7-office', settings }) as Record<keyof typeof settings, string>;
