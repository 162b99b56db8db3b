/** The Odyssee sandbox account: HTTP Basic `user:password@domain`, each part a setting. */
import { type Config, type VendorSetting, vendorSettings } from '../../config.ts';

export const settings = {
  user: { env: 'ODYSSEE_USER', default: 'sandbox', description: 'Odyssee Basic auth user name' },
  password: { env: 'ODYSSEE_PASSWORD', default: 'sandbox', description: 'Odyssee Basic auth password' },
  domain: { env: 'ODYSSEE_DOMAIN', default: 'SANDBOX', description: 'Odyssee domain (user:password@domain)' },
} as const satisfies Record<string, VendorSetting>;

export const credentials = (config: Readonly<Config>) =>
  vendorSettings(config, { name: 'odyssee', settings }) as Record<keyof typeof settings, string>;
