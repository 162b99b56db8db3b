import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { mocksDir } from './paths.ts';

/** A sample's manifest (mocks/README.md). */
export interface SampleManifest {
  operation: string;
  side: 'request' | 'response';
  mediaType: string;
  example: string;
  source: {
    seed?: string;
    verbatim?: boolean;
    twinOf?: string;
    /** An exchange recorded through the validating proxy (npm run proxy:examples): the HAR file and entry. */
    recorded?: { har: string; entry: number; at: string; url: string };
  };
  replay?: { path?: Record<string, string | number>; query?: Record<string, string> };
  expect?: { outcome: 'accepted' | 'rejected'; status: number; rule?: string };
  note?: string;
}

export interface Sample {
  readonly vendor: string;
  /** Path relative to mocks/, e.g. `odyssee/updateTask/seed.request.json`. */
  readonly id: string;
  readonly file: string;
  readonly manifestFile: string;
  readonly manifest: SampleManifest;
  /** The payload's exact bytes. */
  readonly bytes: Buffer;
  readonly format: 'json' | 'xml';
}

const payload = /^(?<case>[\w-]+)\.(?<side>request|response)\.(?<format>json|xml)$/;

/** Every sample under mocks/, with its manifest. Throws on a payload without manifest. */
export function listSamples(): Sample[] {
  const samples: Sample[] = [];
  for (const vendor of readdirSync(mocksDir, { withFileTypes: true })) {
    if (!vendor.isDirectory()) continue;
    for (const op of readdirSync(join(mocksDir, vendor.name), { withFileTypes: true })) {
      if (!op.isDirectory()) continue;
      const dir = join(mocksDir, vendor.name, op.name);
      for (const name of readdirSync(dir).sort()) {
        const match = payload.exec(name);
        if (!match?.groups) continue;
        const file = join(dir, name);
        const manifestFile = file.replace(/\.(json|xml)$/, '.yaml');
        const manifest = parse(readFileSync(manifestFile, 'utf8')) as SampleManifest;
        samples.push({
          vendor: vendor.name,
          id: relative(mocksDir, file),
          file,
          manifestFile,
          manifest,
          bytes: readFileSync(file),
          format: match.groups.format as 'json' | 'xml',
        });
      }
    }
  }
  return samples;
}
