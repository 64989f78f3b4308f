/** A path into the application JSON: keys and array indexes. */
export type Path = (string | number)[];

/** Codes chosen from a list, and 万元 amounts: strings of the contract that are not free text. */
const NOT_FREE_TEXT = /^(subProgrammes|trackingTrack|contacts\.partnerUnits\.orgType|budget\.(castFunds|otherNational|selfRaised|items\.amount))$/;

/**
 * The typed-text leaves of an application (every string except codes and amounts), for the
 * injection tests that put markup into every field. `skip(key, value)` leaves out more
 * (key: the path's names joined by dots, without indexes).
 */
export function textLeaves(v: unknown, skip: (key: string, value: string) => boolean = () => false, prefix: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(v)) v.forEach((x, i) => textLeaves(x, skip, [...prefix, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) textLeaves(x, skip, [...prefix, k], out);
  else if (typeof v === 'string') {
    const key = prefix.filter((p) => typeof p === 'string').join('.');
    if (!NOT_FREE_TEXT.test(key) && !skip(key, v)) out.push(prefix);
  }
  return out;
}

/** Set the value at `p` inside `root` (which must have the path). */
export function setAt(root: any, p: Path, value: unknown): void {
  let o = root;
  for (const k of p.slice(0, -1)) o = o[k];
  o[p[p.length - 1]] = value;
}
