/**
 * The hard constraints, as pure functions of a pool's facts. A pair is allowed only when none
 * applies; capacity is the solver's (and the accept transaction's), checked per mentor.
 * @module
 */
import type { Constraint } from '@menteo/api/matching';

/** Everything the pair constraints read. */
export interface ConstraintFacts {
  /** Each person's manager (person id → manager id). */
  readonly managerOf: ReadonlyMap<string, string>;
  /** Also exclude people with the same manager. */
  readonly excludePeers: boolean;
  /** `mentorId|menteeId` of the program's excluded pairs. */
  readonly excludedPairs: ReadonlySet<string>;
  /** `mentorId|menteeId` of pairs that already have an active room. */
  readonly existingPairs: ReadonlySet<string>;
  /** People opted out of matching. */
  readonly optedOut: ReadonlySet<string>;
  /** People an admin left out of this run. */
  readonly excludedPeople: ReadonlySet<string>;
}

/** The key of a pair in the facts' sets. */
export function pairKey(mentorId: string, menteeId: string): string {
  return `${mentorId}|${menteeId}`;
}

/** Deepest reporting chain followed; deeper (or cyclic) data stops there rather than looping. */
const MAX_CHAIN = 64;

/** The chain of managers above a person: manager, skip-level and up. */
export function chainAbove(managerOf: ReadonlyMap<string, string>, personId: string): string[] {
  const chain: string[] = [];
  const seen = new Set([personId]);
  let current = managerOf.get(personId);
  while (current !== undefined && !seen.has(current) && chain.length < MAX_CHAIN) {
    chain.push(current);
    seen.add(current);
    current = managerOf.get(current);
  }
  return chain;
}

/**
 * Ancestor sets per person, memoised: a pool of 12,000 people checks 20 million pairs, so each
 * chain is walked once.
 */
export class ReportingLines {
  readonly #managerOf: ReadonlyMap<string, string>;
  readonly #above = new Map<string, ReadonlySet<string>>();

  constructor(managerOf: ReadonlyMap<string, string>) {
    this.#managerOf = managerOf;
  }

  /** The people above `personId` in the reporting chain. */
  above(personId: string): ReadonlySet<string> {
    let set = this.#above.get(personId);
    if (!set) {
      set = new Set(chainAbove(this.#managerOf, personId));
      this.#above.set(personId, set);
    }
    return set;
  }

  /** True when one of the two is in the other's chain of managers, at any distance. */
  related(a: string, b: string): boolean {
    return this.above(a).has(b) || this.above(b).has(a);
  }

  /** True when both have the same manager. */
  peers(a: string, b: string): boolean {
    const m = this.#managerOf.get(a);
    return m !== undefined && m === this.#managerOf.get(b);
  }
}

/** Every pair constraint the pair breaks (capacity aside), in `CONSTRAINTS` order. */
export function pairConstraints(facts: ConstraintFacts, lines: ReportingLines, mentorId: string, menteeId: string): Constraint[] {
  const out: Constraint[] = [];
  if (mentorId === menteeId) out.push('self');
  if (lines.related(mentorId, menteeId)) out.push('reporting_line');
  if (facts.excludePeers && lines.peers(mentorId, menteeId)) out.push('peers');
  if (facts.excludedPairs.has(pairKey(mentorId, menteeId))) out.push('excluded_pair');
  if (facts.optedOut.has(mentorId) || facts.optedOut.has(menteeId)) out.push('opted_out');
  if (facts.excludedPeople.has(mentorId) || facts.excludedPeople.has(menteeId)) out.push('excluded_person');
  if (facts.existingPairs.has(pairKey(mentorId, menteeId))) out.push('already_paired');
  return out;
}

/** True when the pair breaks no pair constraint (the fast form of {@link pairConstraints}). */
export function pairAllowed(facts: ConstraintFacts, lines: ReportingLines, mentorId: string, menteeId: string): boolean {
  if (mentorId === menteeId || facts.optedOut.has(mentorId) || facts.optedOut.has(menteeId)) return false;
  if (facts.excludedPeople.has(mentorId) || facts.excludedPeople.has(menteeId)) return false;
  if (lines.related(mentorId, menteeId)) return false;
  if (facts.excludePeers && lines.peers(mentorId, menteeId)) return false;
  const key = pairKey(mentorId, menteeId);
  return !facts.excludedPairs.has(key) && !facts.existingPairs.has(key);
}
