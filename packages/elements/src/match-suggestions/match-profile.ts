/**
 * One's own matching profile, as the mentee and mentor elements edit it: the form, reading it
 * into the API's shape with messages per field, and how complete the person's own part is.
 * Render functions, not an element: each widget keeps its own state and focus.
 * @module
 */
import { html, nothing, type TemplateResult } from 'lit';
import { msg, str } from '@lit/localize';
import type { MatchingProfile, UpdateMyMatchingProfile } from '@menteo/api/matching';
import { formatPercent } from '../internal/format.js';

/** The side of matching a widget edits the profile for. */
export type ProfileRole = 'mentee' | 'mentor';

/** The fields a person fills in themself; the HR facts (department, level, manager) come from HR. */
type OwnField = 'wants' | 'offers' | 'goals' | 'capacity' | 'timeZone' | 'languages';

const FIELDS: Record<ProfileRole, readonly OwnField[]> = {
  mentee: ['wants', 'goals', 'timeZone', 'languages'],
  mentor: ['offers', 'goals', 'capacity', 'timeZone', 'languages'],
};

function fieldName(f: OwnField, role: ProfileRole): string {
  switch (f) {
    case 'wants': return msg('the skills you want to learn');
    case 'offers': return msg('the skills you offer');
    case 'goals': return role === 'mentee' ? msg('your goals') : msg('how you like to help');
    case 'capacity': return msg('how many mentees you take');
    case 'timeZone': return msg('your time zone');
    case 'languages': return msg('your languages');
  }
}

function filled(p: MatchingProfile, f: OwnField): boolean {
  switch (f) {
    case 'wants': return p.wants.length > 0;
    case 'offers': return p.offers.length > 0;
    case 'goals': return p.goals.trim() !== '';
    case 'capacity': return p.capacity > 0;
    case 'timeZone': return p.timeZone !== null;
    case 'languages': return p.languages.length > 0;
  }
}

/** How complete the person's own part of the profile is for `role`: a ratio and what is missing, in words. */
export function ownCompleteness(p: MatchingProfile, role: ProfileRole): { ratio: number; missing: string[] } {
  const fields = FIELDS[role];
  const missing = fields.filter((f) => !filled(p, f));
  return { ratio: (fields.length - missing.length) / fields.length, missing: missing.map((f) => fieldName(f, role)) };
}

/** The completeness line, with a meter: "Your profile is 75 % complete. Still missing: your time zone." */
export function renderCompleteness(p: MatchingProfile, role: ProfileRole, id: string): TemplateResult {
  const { ratio, missing } = ownCompleteness(p, role);
  const percent = formatPercent(ratio);
  const list = missing.join(', ');
  return html`<div part="completeness" class="completeness" data-complete=${ratio === 1 ? 'true' : 'false'}>
    <label for="${id}-meter">${msg(str`Your profile is ${percent} complete.`)}</label>
    <meter id="${id}-meter" min="0" max="1" low="0.5" high="0.99" optimum="1" .value=${ratio}>${percent}</meter>
    ${missing.length ? html`<p class="hint">${msg(str`Still missing: ${list}. A fuller profile gets better suggestions.`)}</p>` : nothing}
  </div>`;
}

/** Form values as typed, with a message per field that cannot be sent. */
export interface ProfileInput {
  body: UpdateMyMatchingProfile;
  errors: Partial<Record<OwnField, string>>;
}

const SKILL = /^[a-z0-9][a-z0-9+#.-]{0,39}$/;
const TIME_ZONE = /^(UTC|[A-Za-z]+(\/[A-Za-z0-9_+-]+){1,2})$/;
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/;

function list(value: string): string[] {
  return value.split(/[,;\n]/).map((s) => s.trim()).filter(Boolean);
}

/** "System design" → "system-design": the API's skills are short lowercase slugs. */
export function toSkill(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, '-');
}

/** Reads the profile form into the API's shape; `errors` names each field to correct. */
export function readProfileForm(form: HTMLFormElement, role: ProfileRole): ProfileInput {
  const data = new FormData(form);
  const get = (name: string) => String(data.get(name) ?? '').trim();
  const errors: ProfileInput['errors'] = {};
  const skills = [...new Set(list(get('skills')).map(toSkill))];
  const badSkills = skills.filter((s) => !SKILL.test(s));
  if (badSkills.length) {
    const bad = badSkills.join(', ');
    errors[role === 'mentee' ? 'wants' : 'offers'] = msg(str`Use short names of letters, digits and dashes (up to 40 characters): ${bad}.`);
  } else if (skills.length > 20) errors[role === 'mentee' ? 'wants' : 'offers'] = msg('At most 20 skills.');
  const goals = get('goals');
  if (goals.length > 1000) errors.goals = msg('At most 1,000 characters.');
  const timeZone = get('timeZone');
  if (timeZone && !TIME_ZONE.test(timeZone)) errors.timeZone = msg('Use a time zone name such as Europe/Paris or America/New_York.');
  const languages = [...new Set(list(get('languages')).map((l) => l.replace(/_/g, '-')))];
  if (languages.some((l) => !LANGUAGE.test(l))) errors.languages = msg('Use language codes such as en, fr or pt-BR.');
  else if (languages.length > 10) errors.languages = msg('At most 10 languages.');
  const body: UpdateMyMatchingProfile = {
    ...(role === 'mentee' ? { wants: skills } : { offers: skills }),
    goals,
    timeZone: timeZone || null,
    languages,
  };
  if (role === 'mentor') {
    const capacity = Number(get('capacity'));
    if (!Number.isInteger(capacity) || capacity < 0 || capacity > 10) errors.capacity = msg('A whole number from 0 to 10.');
    else body.capacity = capacity;
  }
  return { body, errors };
}

/** What {@link renderProfileForm} shows. */
export interface ProfileForm {
  id: string;
  role: ProfileRole;
  profile: MatchingProfile;
  busy: boolean;
  /** Messages per field, shown once the person tried to save. */
  errors: ProfileInput['errors'];
  /** The server's refusal, if any. */
  error: string | undefined;
  onSubmit: (e: SubmitEvent) => void;
}

function deviceTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return 'UTC';
  }
}

/** The profile form: the fields the person fills in themself, and their HR facts read-only. */
export function renderProfileForm(f: ProfileForm): TemplateResult {
  const p = f.profile;
  const id = f.id;
  const skillsField: OwnField = f.role === 'mentee' ? 'wants' : 'offers';
  const field = (name: OwnField, label: string, control: (describedBy: string, invalid: boolean) => TemplateResult, hint?: string) => {
    const error = f.errors[name];
    const describedBy = [hint ? `${id}-${name}-hint` : '', error ? `${id}-${name}-error` : ''].filter(Boolean).join(' ');
    return html`<div class="field">
      <label for="${id}-${name}">${label}</label>
      ${control(describedBy, error !== undefined)}
      ${hint ? html`<p class="hint" id="${id}-${name}-hint">${hint}</p>` : nothing}
      ${error ? html`<p class="error-text" id="${id}-${name}-error">${error}</p>` : nothing}
    </div>`;
  };
  const device = deviceTimeZone();
  return html`<form part="profile-form" class="profile-form" novalidate @submit=${f.onSubmit}>
    ${field(
      skillsField,
      f.role === 'mentee' ? msg('Skills you want to learn') : msg('Skills you can help with'),
      (d, invalid) => html`<input id="${id}-${skillsField}" name="skills" autocomplete="off" .value=${(f.role === 'mentee' ? p.wants : p.offers).join(', ')}
        aria-describedby=${d || nothing} aria-invalid=${invalid ? 'true' : 'false'} />`,
      msg('Separated by commas, for example: code review, system design.'),
    )}
    ${field(
      'goals',
      f.role === 'mentee' ? msg('What you want to achieve, in your own words') : msg('How you like to help, in your own words'),
      (d, invalid) => html`<textarea id="${id}-goals" name="goals" rows="3" maxlength="1000" .value=${p.goals}
        aria-describedby=${d || nothing} aria-invalid=${invalid ? 'true' : 'false'}></textarea>`,
    )}
    ${f.role === 'mentor'
      ? field(
          'capacity',
          msg('Mentees at once'),
          (d, invalid) => html`<input id="${id}-capacity" name="capacity" type="number" min="0" max="10" step="1" .value=${String(p.capacity)}
            aria-describedby=${d || nothing} aria-invalid=${invalid ? 'true' : 'false'} />`,
          msg('Rooms you already mentor in count. 0 takes no new mentee.'),
        )
      : nothing}
    ${field(
      'timeZone',
      msg('Time zone'),
      (d, invalid) => html`<input id="${id}-timeZone" name="timeZone" autocomplete="off" spellcheck="false" .value=${p.timeZone ?? ''}
        aria-describedby=${d || nothing} aria-invalid=${invalid ? 'true' : 'false'} />`,
      msg(str`A name such as Europe/Paris. This device is set to ${device}.`),
    )}
    ${field(
      'languages',
      msg('Languages you speak'),
      (d, invalid) => html`<input id="${id}-languages" name="languages" autocomplete="off" spellcheck="false" .value=${p.languages.join(', ')}
        aria-describedby=${d || nothing} aria-invalid=${invalid ? 'true' : 'false'} />`,
      msg('Language codes separated by commas, for example: en, fr.'),
    )}
    <p class="hint">${msg(str`From HR (not editable here): department ${p.department ?? '—'}, level ${p.seniority ?? '—'}.`)}</p>
    ${f.error ? html`<p class="error-text" role="alert">${f.error}</p>` : nothing}
    <div class="actions">
      <button part="button" class="btn btn--primary" type="submit" aria-disabled=${f.busy ? 'true' : 'false'}>${f.busy ? msg('Saving…') : msg('Save profile')}</button>
    </div>
  </form>`;
}
