import type { Chain, ChainRecord, ChangeEvent } from '../model';

/**
 * The events behind a chain, once each: the effect, each link's cause, then the context events. A cause that
 * is not in `byId` is left out (the link's evidence still names it).
 */
export function eventsBehind(
  c: Chain,
  byId: ReadonlyMap<string, ChangeEvent>
): Array<{ event: ChangeEvent; role: ChainRecord['role'] }> {
  const out: Array<{ event: ChangeEvent; role: ChainRecord['role'] }> = [];
  const seen = new Set<string>();
  const add = (event: ChangeEvent | undefined, role: ChainRecord['role']) => {
    if (event && !seen.has(event.id)) {
      seen.add(event.id);
      out.push({ event, role });
    }
  };
  add(c.effect, 'effect');
  c.links.forEach((l) => add(byId.get(l.to), l.kind));
  c.context.forEach((x) => add(x.event, x.kind));
  return out;
}
