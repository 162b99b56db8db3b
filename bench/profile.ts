/**
 * Where the sandbox's time goes: a V8 CPU profile (`node --cpu-prof`) summarised by area (node internals,
 * fastify, AJV's compiled validators, SQLite, the project's own modules, GC) and by project function, inclusive.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../src/spec/index.ts';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Busy time (everything but idle), in ms. */
  busyMs: number;
  /** Self time per area, share of busy time, highest first. */
  areas: { area: string; share: number }[];
  /** Inclusive time per project function (`src/...`), share of busy time, highest first. */
  project: { fn: string; share: number }[];
  /** Self time per function anywhere, share of busy time, highest first. */
  hottest: { fn: string; share: number }[];
}

function fileOf(url: string): string {
  if (!url) return '';
  try {
    return url.startsWith('file:') ? relative(repoRoot, fileURLToPath(url)) : url;
  } catch {
    return url;
  }
}

/** The area a function's self time is counted under. */
export function areaOf(frame: CallFrame): string {
  const file = fileOf(frame.url);
  const name = frame.functionName;
  if (name === '(idle)') return 'idle';
  if (name === '(garbage collector)') return 'garbage collector';
  if (name === '(program)' || name === '(root)') return 'V8 / native (program)';
  // Node strips each TypeScript file it loads with amaro, a WebAssembly build of swc (none for a cached file).
  if (file.startsWith('wasm://') || file.includes('internal/deps/amaro')) return 'node: TypeScript stripping (amaro)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1];
  if (pkg) return `node_modules: ${pkg}`;
  if (file.startsWith('src/') || file.startsWith('bench/')) return `project: ${file.split('/').slice(0, 2).join('/')}`;
  if (file.startsWith('node:')) return `node: ${file.slice(5).split('/')[1] ?? file.slice(5)}`;
  // AJV's compiled validators and other `new Function` code have no URL.
  if (file === '') return /^validate\d*$/.test(name) ? 'AJV compiled validators' : 'native / anonymous';
  return file;
}

const label = (frame: CallFrame): string => {
  const file = fileOf(frame.url);
  return `${frame.functionName || '(anonymous)'} ${file ? `${file}:${frame.lineNumber + 1}` : ''}`.trim();
};

/** Inclusive time: every project function on the stack of a sample, once however often it recurses. */
function addInclusive(
  inclusive: Map<string, number>,
  id: number,
  delta: number,
  byId: ReadonlyMap<number, ProfileNode>,
  parent: ReadonlyMap<number, number>,
): void {
  const seen = new Set<string>();
  for (let up: number | undefined = id; up !== undefined; up = parent.get(up)) {
    const frame = byId.get(up)?.callFrame;
    if (!frame || !fileOf(frame.url).startsWith('src/')) continue;
    const key = label(frame);
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + delta);
  }
}

/**
 * Summarises a `.cpuprofile`; with `window` (microseconds of the monotonic clock, as `process.hrtime.bigint()` /
 * 1000 reads it: V8 stamps its samples with the same clock), only the samples inside it count.
 */
export function summariseProfile(file: string, window?: { fromUs: number; toUs: number }, top = 12): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const areas = new Map<string, number>();
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busy = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (window && (at < window.fromUs || at > window.toUs)) return;
    const node = byId.get(id);
    const delta = (profile.timeDeltas[i] ?? 0) / 1000;
    if (!node || delta <= 0) return;
    const area = areaOf(node.callFrame);
    if (area === 'idle') return;
    busy += delta;
    areas.set(area, (areas.get(area) ?? 0) + delta);
    self.set(label(node.callFrame), (self.get(label(node.callFrame)) ?? 0) + delta);
    addInclusive(inclusive, id, delta, byId, parent);
  });
  const ranked = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([key, ms]) => [key, busy > 0 ? ms / busy : 0] as const);
  return {
    busyMs: busy,
    areas: ranked(areas).map(([area, share]) => ({ area, share })),
    project: ranked(inclusive).map(([fn, share]) => ({ fn, share })),
    hottest: ranked(self).map(([fn, share]) => ({ fn, share })),
  };
}
