/**
 * Explainable pair scores. A pair's score is the sum of six named factors' points; each factor
 * earns `round(weight × fit)` where `fit` is between 0 and 1. The same fit functions serve the
 * solver's fast path (`Scorer.score`, over profiles compiled to integer ids, millions of pairs per
 * second) and the explanations (`Scorer.explain`, codes, parameters and an English fallback), so
 * the solver never optimises a number the reasons do not show. A test checks they agree.
 * @module
 */
import { MATCH_FACTORS, type FactorScore, type MatchFactor, type MatchWeights, type PairScore, type ReasonCode } from '@menteo/api/matching';

/** The program settings scores depend on. */
export interface ScoringSettings {
  readonly weights: MatchWeights;
  readonly departmentPreference: 'different' | 'same' | 'none';
  readonly idealSeniorityGap: number;
}

/** What scoring reads of a profile. */
export interface ScoringProfile {
  readonly wants: readonly string[];
  readonly offers: readonly string[];
  readonly goals: string;
  readonly timeZone: string | null;
  readonly languages: readonly string[];
  readonly department: string | null;
  readonly seniority: number | null;
}

/** A profile reduced to integer ids and numbers, for the fast path. */
export interface CompiledProfile {
  /** Sorted skill ids: wanted (mentee) or offered (mentor). */
  readonly skills: Int32Array;
  /** Sorted keyword ids of the goals (and, for mentors, of the skills offered). */
  readonly keywords: Int32Array;
  /** Offset from UTC in minutes at the scoring instant; NaN when unknown. */
  readonly offset: number;
  /** Sorted ids of the languages' primary subtags. */
  readonly languages: Int32Array;
  /** Department id, -1 when unknown. */
  readonly department: number;
  /** 1–10, 0 when unknown. */
  readonly seniority: number;
}

const STOPWORDS = new Set([
  // English
  'the', 'and', 'for', 'with', 'that', 'this', 'from', 'into', 'about', 'want', 'wants', 'would', 'like', 'learn', 'learning', 'get', 'getting', 'better',
  'more', 'how', 'what', 'who', 'can', 'help', 'helping', 'people', 'them', 'they', 'their', 'our', 'your', 'you', 'have', 'has', 'was', 'are', 'not',
  'but', 'all', 'any', 'some', 'become', 'becoming', 'next', 'year', 'years', 'good', 'work', 'working', 'role', 'new', 'also', 'own', 'able', 'make',
  // French
  'les', 'des', 'une', 'pour', 'avec', 'dans', 'sur', 'par', 'que', 'qui', 'est', 'son', 'ses', 'aux', 'mon', 'mes', 'plus', 'être', 'avoir', 'faire',
  'veux', 'voudrais', 'apprendre', 'mieux', 'comment', 'aider', 'mais', 'tout', 'tous', 'cette', 'ces', 'nous', 'vous', 'leur', 'leurs', 'devenir',
]);

/** The keywords of a text: lowercase words of 3+ letters, stopwords out, a plural `s` dropped. */
export function keywordsOf(text: string): string[] {
  const out = new Set<string>();
  for (const raw of text.toLowerCase().split(/[^\p{L}\p{N}+#]+/u)) {
    if (raw.length < 3 || STOPWORDS.has(raw)) continue;
    out.add(raw.length > 4 && raw.endsWith('s') && !raw.endsWith('ss') ? raw.slice(0, -1) : raw);
  }
  return [...out];
}

/** A mentor's keywords: their goals' and the words of the skills they offer (`system-design` → system, design). */
function mentorKeywords(p: ScoringProfile): string[] {
  return [...new Set([...keywordsOf(p.goals), ...keywordsOf(p.offers.join(' ').replace(/-/g, ' '))])];
}

const offsetCache = new Map<string, number>();

/** True when `zone` is a time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC in minutes at `at` (DST included); NaN for an unknown zone. */
export function offsetMinutes(zone: string | null, at: Date): number {
  if (zone === null) return Number.NaN;
  // Keyed by the day: offsets change at most twice a year, and a run uses one instant.
  const key = `${zone}@${at.toISOString().slice(0, 10)}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  let minutes = Number.NaN;
  try {
    const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? '';
    const m = /GMT(?:([+-])(\d{1,2})(?::(\d{2}))?)?/.exec(name);
    if (m) minutes = m[1] === undefined ? 0 : (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
  } catch {
    // An unknown zone scores as unknown.
  }
  offsetCache.set(key, minutes);
  return minutes;
}

/** Hours of overlap between two 09:00–17:00 local working days. */
export function overlapHours(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.NaN;
  let d = Math.abs(a - b) / 60;
  d = Math.min(d, 24 - d);
  return Math.max(0, 8 - d);
}

function intersectCount(a: Int32Array, b: Int32Array): number {
  let i = 0, j = 0, n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number, y = b[j] as number;
    if (x === y) { n++; i++; j++; } else if (x < y) i++; else j++;
  }
  return n;
}

/** Goals fit: three shared keywords earn the whole factor. */
const GOAL_KEYWORDS_FOR_FULL = 3;

/** The fit (0–1) of the seniority factor for a gap in levels. */
export function seniorityFit(gap: number, ideal: number): number {
  if (gap < 0) return 0;
  return Math.max(0, 1 - Math.abs(gap - ideal) / 3);
}

/** Points for one factor. */
function points(weight: number, fit: number): number {
  return Math.round(weight * fit);
}

/** Scores pairs under one program's settings at one instant. */
export class Scorer {
  readonly settings: ScoringSettings;
  readonly at: Date;
  readonly #ids = new Map<string, number>();
  /** The weights in effect (the department factor is off when the preference is `none`). */
  readonly weights: MatchWeights;
  readonly maxScore: number;

  constructor(settings: ScoringSettings, at: Date) {
    this.settings = settings;
    this.at = at;
    this.weights = { ...settings.weights, department: settings.departmentPreference === 'none' ? 0 : settings.weights.department };
    this.maxScore = MATCH_FACTORS.reduce((sum, f) => sum + this.weights[f], 0);
  }

  #id(kind: string, value: string): number {
    const key = `${kind}:${value}`;
    let id = this.#ids.get(key);
    if (id === undefined) {
      id = this.#ids.size;
      this.#ids.set(key, id);
    }
    return id;
  }

  #sorted(kind: string, values: Iterable<string>): Int32Array {
    return Int32Array.from(new Set([...values].map((v) => this.#id(kind, v)))).sort();
  }

  /** A profile compiled for the fast path, as a mentee or as a mentor. */
  compile(p: ScoringProfile, role: 'mentee' | 'mentor'): CompiledProfile {
    return {
      skills: this.#sorted('s', role === 'mentee' ? p.wants : p.offers),
      keywords: this.#sorted('k', role === 'mentee' ? keywordsOf(p.goals) : mentorKeywords(p)),
      offset: offsetMinutes(p.timeZone, this.at),
      languages: this.#sorted('l', p.languages.map((l) => l.split('-')[0] ?? l)),
      department: p.department === null ? -1 : this.#id('d', p.department.trim().toLowerCase()),
      seniority: p.seniority ?? 0,
    };
  }

  /** The pair's score: the sum of the factors' points (the same numbers `explain` lists). */
  score(mentee: CompiledProfile, mentor: CompiledProfile): number {
    const w = this.weights;
    let total = 0;
    if (mentee.skills.length > 0) total += points(w.skills, intersectCount(mentee.skills, mentor.skills) / mentee.skills.length);
    if (mentee.keywords.length > 0) total += points(w.goals, Math.min(1, intersectCount(mentee.keywords, mentor.keywords) / GOAL_KEYWORDS_FOR_FULL));
    const hours = overlapHours(mentee.offset, mentor.offset);
    if (!Number.isNaN(hours)) total += points(w.timeZone, hours / 8);
    if (intersectCount(mentee.languages, mentor.languages) > 0) total += w.language;
    if (w.department > 0 && mentee.department >= 0 && mentor.department >= 0) {
      const same = mentee.department === mentor.department;
      if (same === (this.settings.departmentPreference === 'same')) total += w.department;
    }
    if (mentee.seniority > 0 && mentor.seniority > 0) total += points(w.seniority, seniorityFit(mentor.seniority - mentee.seniority, this.settings.idealSeniorityGap));
    return total;
  }

  /** The pair's score with every factor's points and reason. */
  explain(mentee: ScoringProfile, mentor: ScoringProfile): PairScore {
    const w = this.weights;
    const factors: FactorScore[] = [];
    const add = (factor: MatchFactor, pts: number, code: ReasonCode, params: FactorScore['params'], text: string) => {
      factors.push({ factor, points: pts, weight: w[factor], code, params, text });
    };

    const wanted = [...new Set(mentee.wants)];
    const offered = new Set(mentor.offers);
    const shared = wanted.filter((s) => offered.has(s));
    if (wanted.length === 0) add('skills', 0, 'skills.unknown', {}, 'The mentee has not said which skills they want to learn.');
    else if (shared.length === 0) add('skills', 0, 'skills.none', { wanted: wanted.length }, `Offers none of the ${wanted.length} skills wanted.`);
    else add('skills', points(w.skills, shared.length / wanted.length), 'skills.shared', { skills: shared, wanted: wanted.length }, `Offers ${shared.length} of the ${wanted.length} skills wanted: ${shared.join(', ')}.`);

    const menteeWords = keywordsOf(mentee.goals);
    const mentorWords = new Set(mentorKeywords(mentor));
    const common = menteeWords.filter((k) => mentorWords.has(k));
    if (menteeWords.length === 0) add('goals', 0, 'goals.unknown', {}, 'The mentee has not written their goals yet.');
    else if (common.length === 0) add('goals', 0, 'goals.none', {}, 'No keyword of the goals matches what the mentor offers.');
    else add('goals', points(w.goals, Math.min(1, common.length / GOAL_KEYWORDS_FOR_FULL)), 'goals.keywords', { keywords: common }, `Goals and offer share: ${common.join(', ')}.`);

    const hours = overlapHours(offsetMinutes(mentee.timeZone, this.at), offsetMinutes(mentor.timeZone, this.at));
    if (Number.isNaN(hours) || mentee.timeZone === null || mentor.timeZone === null) add('timeZone', 0, 'timeZone.unknown', {}, 'A time zone is missing.');
    else {
      const rounded = Math.round(hours * 2) / 2;
      add('timeZone', points(w.timeZone, hours / 8), 'timeZone.overlap', { hours: rounded, menteeTimeZone: mentee.timeZone, mentorTimeZone: mentor.timeZone },
        `${rounded} of 8 working hours overlap (${mentee.timeZone} and ${mentor.timeZone}).`);
    }

    const primary = (l: string) => l.split('-')[0] ?? l;
    const mentorLangs = new Set(mentor.languages.map(primary));
    const langs = [...new Set(mentee.languages.map(primary))].filter((l) => mentorLangs.has(l));
    if (mentee.languages.length === 0 || mentor.languages.length === 0) add('language', 0, 'language.unknown', {}, 'Languages are missing.');
    else if (langs.length === 0) add('language', 0, 'language.none', {}, 'No language in common.');
    else add('language', w.language, 'language.shared', { languages: langs }, `Both speak ${langs.join(', ')}.`);

    const pref = this.settings.departmentPreference;
    if (pref === 'none') add('department', 0, 'department.ignored', {}, 'Departments do not count in this program.');
    else if (mentee.department === null || mentor.department === null) add('department', 0, 'department.unknown', {}, 'A department is missing.');
    else if (mentee.department.trim().toLowerCase() === mentor.department.trim().toLowerCase()) {
      add('department', pref === 'same' ? w.department : 0, 'department.same', { department: mentee.department }, `Both work in ${mentee.department}.`);
    } else {
      add('department', pref === 'different' ? w.department : 0, 'department.different', { menteeDepartment: mentee.department, mentorDepartment: mentor.department },
        `Different departments: ${mentee.department} and ${mentor.department}.`);
    }

    const ideal = this.settings.idealSeniorityGap;
    if (mentee.seniority === null || mentor.seniority === null) add('seniority', 0, 'seniority.unknown', {}, 'A seniority level is missing.');
    else {
      const gap = mentor.seniority - mentee.seniority;
      if (gap < 0) add('seniority', 0, 'seniority.notSenior', { gap }, `The mentor is ${-gap} level${gap === -1 ? '' : 's'} below the mentee.`);
      else add('seniority', points(w.seniority, seniorityFit(gap, ideal)), 'seniority.gap', { gap, idealGap: ideal }, `${gap} level${gap === 1 ? '' : 's'} apart (ideal: ${ideal}).`);
    }
    return { score: factors.reduce((s, f) => s + f.points, 0), maxScore: this.maxScore, factors };
  }
}
