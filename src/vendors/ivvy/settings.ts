/** The iVvy sandbox account: an API key and its secret. */
import { type Config, type VendorSetting, vendorSettings } from '../../config.ts';

export const settings = {
  apiKey: { env: 'IVVY_API_KEY', default: 'sandbox-key', description: 'iVvy API key' },
  apiSecret: { env: 'IVVY_API_SECRET', default: 'sandbox-secret', description: 'iVvy API secret (HMAC-SHA1 key)' },
} as const satisfies Record<string, VendorSetting>;

export const credentials = (config: Readonly<Config>) =>
  vendorSettings(config, { name: 'ivvy', settings }) as Record<keyof typeof settings, string>;
