/** Picks the response media type: the first the route offers that `Accept` allows; the route's first without one. */
export function negotiate(accept: string | undefined, offered: readonly string[]): string | undefined {
  if (offered.length === 0) return undefined;
  if (!accept || accept.trim() === '') return offered[0];
  const ranges = accept
    .split(',')
    .map((part) => {
      const [range = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { range: range.trim().toLowerCase(), q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((r) => r.q > 0 && r.range !== '')
    .sort((a, b) => b.q - a.q);
  for (const { range } of ranges) {
    const [type, subtype] = range.split('/');
    const match = offered.find((o) => {
      const [ot, os] = o.toLowerCase().split('/');
      return (type === '*' || type === ot) && (subtype === '*' || subtype === os);
    });
    if (match) return match;
  }
  return undefined;
}
