/** A fat-fingered `web[1:100000]` must not take the process down. */
export const MAX_EXPANDED_HOSTS = 10_000;

export type RangeExpansion = { ok: true; names: string[] } | { ok: false; message: string };

const RANGE = /\[([^\]]*)\]/;

function rangeValues(body: string): string[] | string {
  const parts = body.split(':');
  if (parts.length < 2 || parts.length > 3) return `range [${body}] must be [start:end] or [start:end:step]`;
  const [start = '', end = '', stepText = '1'] = parts;
  const step = Number(stepText);
  if (!/^\d+$/.test(stepText) || step < 1) return `range [${body}] has an invalid step`;
  if (/^\d+$/.test(start) && /^\d+$/.test(end)) {
    const from = Number(start);
    const to = Number(end);
    if (to < from) return `range [${body}] ends before it starts`;
    if ((to - from) / step >= MAX_EXPANDED_HOSTS)
      return `range [${body}] makes more than ${MAX_EXPANDED_HOSTS} hosts`;
    // A leading zero fixes the width, as in Ansible: [01:10] gives 01 … 10.
    const width = start.length > 1 && start.startsWith('0') ? start.length : 0;
    const values: string[] = [];
    for (let n = from; n <= to; n += step) values.push(String(n).padStart(width, '0'));
    return values;
  }
  if (/^[a-z]$/.test(start) && /^[a-z]$/.test(end)) {
    const from = start.charCodeAt(0);
    const to = end.charCodeAt(0);
    if (to < from) return `range [${body}] ends before it starts`;
    const values: string[] = [];
    for (let c = from; c <= to; c += step) values.push(String.fromCharCode(c));
    return values;
  }
  return `range [${body}] must be numbers ([01:20]) or letters ([a:f])`;
}

/** Expand Ansible host ranges such as `web[01:03].example.com` or `rack[a:b]-[1:2]`. */
export function expandHostPattern(pattern: string): RangeExpansion {
  const match = RANGE.exec(pattern);
  if (match === null) {
    return /[[\]]/.test(pattern)
      ? { ok: false, message: `unbalanced brackets in '${pattern}'` }
      : { ok: true, names: [pattern] };
  }
  const values = rangeValues(match[1] ?? '');
  if (typeof values === 'string') return { ok: false, message: values };
  const head = pattern.slice(0, match.index);
  const tail = pattern.slice(match.index + match[0].length);
  const rest = expandHostPattern(tail);
  if (!rest.ok) return rest;
  if (values.length * rest.names.length > MAX_EXPANDED_HOSTS) {
    return { ok: false, message: `'${pattern}' makes more than ${MAX_EXPANDED_HOSTS} hosts` };
  }
  return {
    ok: true,
    names: values.flatMap((value) => rest.names.map((suffix) => `${head}${value}${suffix}`)),
  };
}
