/**
 * A score's factors in the reader's words and language. The API gives each factor a stable
 * `code` with `params` (its English `text` is for scripts); the sentence is phrased here, for the
 * person reading it: a mentee reads "you" and "they", a mentor or an admin reads about the pair.
 * Shared by the three matching elements.
 * @module
 */
import { html, type TemplateResult } from 'lit';
import { msg, str } from '@lit/localize';
import type { FactorScore, MatchFactor, MatchRequest, PairScore } from '@menteo/api/matching';
import { currentFormatLocale } from '../internal/format.js';
import { describeError } from '../internal/errors.js';

/** Who reads the reasons: the mentee ("you"), or someone looking at the pair (the mentor, an admin). */
export type ReasonReader = 'mentee' | 'pair';

type Params = FactorScore['params'];

/** A parameter as a number; a list counts its items. */
function count(p: Params, key: string): number {
  const v = p[key];
  return Array.isArray(v) ? v.length : typeof v === 'number' ? v : Number(v ?? 0);
}

/** A parameter as words: a list joined the locale's way ("a, b and c" / "a, b et c"). */
function words(p: Params, key: string): string {
  const v = p[key];
  if (Array.isArray(v)) {
    try {
      return new Intl.ListFormat(currentFormatLocale(), { type: 'conjunction' }).format(v);
    } catch {
      return v.join(', ');
    }
  }
  return v === undefined ? '' : String(v);
}

/** A factor's name. */
export function factorName(factor: MatchFactor): string {
  switch (factor) {
    case 'skills': return msg('Skills');
    case 'goals': return msg('Goals');
    case 'timeZone': return msg('Time zone');
    case 'language': return msg('Language');
    case 'department': return msg('Department');
    case 'seniority': return msg('Seniority');
  }
}

/** One factor's reason as a sentence for `reader`. Unknown codes fall back to the API's English text. */
export function reasonText(f: FactorScore, reader: ReasonReader): string {
  const p = f.params;
  const you = reader === 'mentee';
  switch (f.code) {
    case 'skills.shared': {
      const skills = words(p, 'skills');
      const shared = count(p, 'skills');
      const wanted = count(p, 'wanted');
      return you
        ? msg(str`They offer ${shared} of the ${wanted} skills you want to learn: ${skills}.`)
        : msg(str`The mentor offers ${shared} of the ${wanted} skills wanted: ${skills}.`);
    }
    case 'skills.none': {
      const wanted = count(p, 'wanted');
      return you ? msg(str`They offer none of the ${wanted} skills you want to learn.`) : msg(str`The mentor offers none of the ${wanted} skills wanted.`);
    }
    case 'skills.unknown':
      return you ? msg('Add the skills you want to learn to compare skills.') : msg('The mentee has not said which skills they want to learn.');
    case 'goals.keywords': {
      const keywords = words(p, 'keywords');
      return you ? msg(str`Your goals and what they offer have in common: ${keywords}.`) : msg(str`The goals and the offer have in common: ${keywords}.`);
    }
    case 'goals.none':
      return you ? msg('Your goals share no keyword with what they offer.') : msg('The goals share no keyword with the offer.');
    case 'goals.unknown':
      return you ? msg('Write your goals in your own words to compare them.') : msg('The mentee has not written their goals yet.');
    case 'timeZone.overlap': {
      const hours = count(p, 'hours');
      const mentee = words(p, 'menteeTimeZone');
      const mentor = words(p, 'mentorTimeZone');
      return you
        ? msg(str`${hours} of 8 working hours overlap (you: ${mentee}, them: ${mentor}).`)
        : msg(str`${hours} of 8 working hours overlap (mentee: ${mentee}, mentor: ${mentor}).`);
    }
    case 'timeZone.unknown':
      return msg('A time zone is missing.');
    case 'language.shared': {
      const languages = words(p, 'languages');
      return you ? msg(str`You both speak ${languages}.`) : msg(str`Both speak ${languages}.`);
    }
    case 'language.none':
      return msg('No language in common.');
    case 'language.unknown':
      return msg('Languages are missing.');
    case 'department.different': {
      const mentee = words(p, 'menteeDepartment');
      const mentor = words(p, 'mentorDepartment');
      return you ? msg(str`They work in another department (${mentor}): a fresh view on yours (${mentee}).`) : msg(str`Different departments: ${mentee} and ${mentor}.`);
    }
    case 'department.same': {
      const department = words(p, 'department');
      return you ? msg(str`You both work in ${department}.`) : msg(str`Both work in ${department}.`);
    }
    case 'department.unknown':
      return msg('A department is missing.');
    case 'department.ignored':
      return msg('Departments do not count in this program.');
    case 'seniority.gap': {
      const gap = count(p, 'gap');
      const ideal = count(p, 'idealGap');
      return you
        ? msg(str`${gap} levels more senior than you (the program aims for ${ideal}).`)
        : msg(str`The mentor is ${gap} levels more senior (the program aims for ${ideal}).`);
    }
    case 'seniority.notSenior':
      return you ? msg('Not more senior than you.') : msg('The mentor is not more senior than the mentee.');
    case 'seniority.unknown':
      return msg('A seniority level is missing.');
    default:
      return f.text;
  }
}

/** "62 of 100 points". */
export function pointsText(points: number, of: number): string {
  return msg(str`${points} of ${of} points`);
}

/**
 * A score's reasons as a list: each factor's name, points and sentence. Factors worth nothing in
 * this program (weight 0) are left out: they never count.
 */
export function renderReasons(score: PairScore, reader: ReasonReader): TemplateResult {
  return html`<ul part="reasons" class="reasons">
    ${score.factors
      .filter((f) => f.weight > 0)
      .map(
        (f) => html`<li data-factor=${f.factor} data-code=${f.code}>
          <span class="reason__factor">${factorName(f.factor)}</span>
          <span class="reason__points">${pointsText(f.points, f.weight)}</span>
          <span class="reason__text">${reasonText(f, reader)}</span>
        </li>`,
      )}
  </ul>`;
}

/** A request's state in words. */
export function statusText(status: MatchRequest['status']): string {
  switch (status) {
    case 'pending': return msg('Waiting for an answer');
    case 'accepted': return msg('Accepted');
    case 'declined': return msg('Declined');
    case 'withdrawn': return msg('Withdrawn');
    case 'cancelled': return msg('Cancelled: matched otherwise');
  }
}

/**
 * Why the API refused a request, a lock or a publish: its 409 names the hard constraint in
 * `field`. Anything else says what `describeError` says.
 */
export function refusalText(error: unknown): string {
  const e = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; field?: unknown };
  if (e.code === 'conflict') {
    switch (e.field) {
      case 'capacity': return msg('No free seat: this mentor already mentors as many people as they can.');
      case 'reporting_line': return msg('Not possible: one of them is in the other’s reporting line.');
      case 'peers': return msg('Not possible: they have the same manager, and this program does not pair peers.');
      case 'excluded_pair': return msg('Not possible: the program excludes this pair.');
      case 'opted_out': return msg('Not possible: someone opted out of matching.');
      case 'excluded_person': return msg('Not possible: someone is left out of this run.');
      case 'already_paired': return msg('They already have a room together.');
      case 'not_enrolled': return msg('Not possible: someone is not enrolled with that role in the cohort.');
      case 'self': return msg('Nobody can mentor themself.');
      // The request or run itself changed (answered, withdrawn, superseded) meanwhile.
      case 'requestId':
      case 'runId': return msg('This was already answered or changed meanwhile. The list is up to date now.');
      // A mentee with a pending request or a room in the cohort asks nobody else.
      case 'cohortId': return msg('You already have a pending request or a mentor in this cohort.');
      default: return msg('Not possible right now: the list is up to date now, try again.');
    }
  }
  return describeError(error);
}
