interface Range {
  type: string;
  subtype: string;
  q: number;
}

function parseAccept(accept: string): Range[] {
  return accept
    .split(',')
    .map((part) => {
      const [range = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const [type = '', subtype = ''] = range.trim().toLowerCase().split('/');
      const quality = q ? Number(q.slice(2)) : 1;
      return { type, subtype, q: Number.isFinite(quality) ? quality : 0 };
    })
    .filter((r) => r.type !== '' && r.subtype !== '');
}

/** The quality `Accept` gives a media type: that of the most specific range matching it (RFC 9110 §12.5.1). */
function quality(ranges: Range[], mediaType: string): number {
  const [type, subtype] = mediaType.toLowerCase().split('/');
  let best = -1;
  let q = 0;
  for (const r of ranges) {
    const specificity =
      r.type === type && r.subtype === subtype ? 2 : r.type === type && r.subtype === '*' ? 1 : r.type === '*' ? 0 : -1;
    if (specificity > best) {
      best = specificity;
      q = r.q;
    }
  }
  return best < 0 ? 0 : q;
}

/** Picks the response media type: the offered one `Accept` rates highest (ties: the spec's order). */
export function negotiate(accept: string | undefined, offered: readonly string[]): string | undefined {
  if (offered.length === 0) return undefined;
  if (!accept || accept.trim() === '') return offered[0];
  const ranges = parseAccept(accept);
  let chosen: string | undefined;
  let chosenQ = 0;
  for (const mediaType of offered) {
    const q = quality(ranges, mediaType);
    if (q > chosenQ) {
      chosen = mediaType;
      chosenQ = q;
    }
  }
  return chosen;
}
