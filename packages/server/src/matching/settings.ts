/**
 * A program's matching settings: defaults until an admin changes them.
 * @module
 */
import { DEFAULT_MATCH_WEIGHTS, type MatchingSettings, type MatchWeights, type UpdateMatchingSettings } from '@menteo/api/matching';
import { invalid } from '../http/errors.js';
import { json } from '../storage/json.js';
import type { Db } from '../views/people.js';
import { matchingDb } from './tables.js';

const PREFERENCES = { different: 'different', same: 'same', none: 'none' } as const;

function weightsOf(value: string): MatchWeights {
  try {
    const parsed = JSON.parse(value) as Partial<MatchWeights>;
    const w = { ...DEFAULT_MATCH_WEIGHTS };
    for (const k of Object.keys(w) as (keyof MatchWeights)[]) {
      const v = parsed[k];
      if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 100) w[k] = v;
    }
    return w;
  } catch {
    return { ...DEFAULT_MATCH_WEIGHTS };
  }
}

/** The program's settings (defaults when never changed). */
export async function loadSettings(database: Db, programId: string): Promise<MatchingSettings> {
  const db = matchingDb(database);
  const row = await db.selectFrom('matching_settings').selectAll().where('program_id', '=', programId).executeTakeFirst();
  const pairs = await db.selectFrom('matching_excluded_pairs').selectAll().where('program_id', '=', programId).orderBy('mentor_id').orderBy('mentee_id').execute();
  return {
    programId,
    weights: row ? weightsOf(row.weights) : { ...DEFAULT_MATCH_WEIGHTS },
    departmentPreference: row ? PREFERENCES[row.department_preference as keyof typeof PREFERENCES] ?? 'different' : 'different',
    idealSeniorityGap: row?.ideal_seniority_gap ?? 2,
    excludePeers: row ? row.exclude_peers === 1 : false,
    selfServe: row ? row.self_serve === 1 : true,
    rematchBelow: row?.rematch_below ?? 2.5,
    excludedPairs: pairs.map((p) => ({ mentorId: p.mentor_id, menteeId: p.mentee_id, ...(p.note ? { note: p.note } : {}) })),
    updatedAt: row?.updated_at ?? null,
  };
}

/** Applies a change; answers the settings as they are now. */
export async function saveSettings(database: Db, orgId: string, programId: string, patch: UpdateMatchingSettings, now: string): Promise<MatchingSettings> {
  const db = matchingDb(database);
  const current = await loadSettings(database, programId);
  const weights = { ...current.weights, ...Object.fromEntries(Object.entries(patch.weights ?? {}).filter(([, v]) => v !== undefined)) } as MatchWeights;
  if (Object.values(weights).every((v) => v === 0)) throw invalid('weights', 'At least one factor must weigh more than 0.');
  if (patch.excludedPairs) {
    const ids = [...new Set(patch.excludedPairs.flatMap((p) => [p.mentorId, p.menteeId]))];
    const found = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) {
      for (const r of await db.selectFrom('people').select('id').where('org_id', '=', orgId).where('id', 'in', ids.slice(i, i + 500)).execute()) found.add(r.id);
    }
    const bad = patch.excludedPairs.findIndex((p) => !found.has(p.mentorId) || !found.has(p.menteeId));
    if (bad >= 0) throw invalid(`excludedPairs.${bad}`, 'Both people of an excluded pair must be people of this organization.');
  }
  const values = {
    weights: json(weights),
    department_preference: patch.departmentPreference ?? current.departmentPreference,
    ideal_seniority_gap: patch.idealSeniorityGap ?? current.idealSeniorityGap,
    exclude_peers: (patch.excludePeers ?? current.excludePeers) ? 1 : 0,
    self_serve: (patch.selfServe ?? current.selfServe) ? 1 : 0,
    rematch_below: patch.rematchBelow ?? current.rematchBelow,
    updated_at: now,
  };
  const exists = await db.selectFrom('matching_settings').select('program_id').where('program_id', '=', programId).executeTakeFirst();
  if (exists) await db.updateTable('matching_settings').set(values).where('program_id', '=', programId).execute();
  else await db.insertInto('matching_settings').values({ program_id: programId, org_id: orgId, ...values }).execute();
  if (patch.excludedPairs) {
    await db.deleteFrom('matching_excluded_pairs').where('program_id', '=', programId).execute();
    const unique = new Map(patch.excludedPairs.map((p) => [`${p.mentorId}|${p.menteeId}`, p]));
    const rows = [...unique.values()].map((p) => ({ program_id: programId, mentor_id: p.mentorId, mentee_id: p.menteeId, org_id: orgId, note: p.note ?? '' }));
    for (let i = 0; i < rows.length; i += 200) await db.insertInto('matching_excluded_pairs').values(rows.slice(i, i + 200)).execute();
  }
  return loadSettings(database, programId);
}
