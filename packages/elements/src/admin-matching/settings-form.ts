/**
 * A program's matching settings as the admin edits them: each factor's weight, the department
 * preference, the ideal seniority gap, peers, self-serve and the re-match threshold. A render
 * function and a reader, like the other admin forms; the screen keeps the state.
 * @module
 */
import { html, nothing, type TemplateResult } from 'lit';
import { msg } from '@lit/localize';
import type { MatchFactor, MatchingSettings, UpdateMatchingSettings } from '@menteo/api/matching';
import { factorName } from '../match-suggestions/match-reasons.js';

// The contract's MATCH_FACTORS order, restated: importing a value from the contract module would
// bring all its schemas into this screen's first load.
const MATCH_FACTORS = ['skills', 'goals', 'timeZone', 'language', 'department', 'seniority'] as const satisfies readonly MatchFactor[];

/** What {@link renderSettingsForm} shows. */
export interface SettingsForm {
  settings: MatchingSettings;
  busy: boolean;
  error: string | undefined;
  onSubmit: (e: SubmitEvent) => void;
  onCancel: () => void;
}

/** Reads the form: the whole settings but the excluded pairs (this form does not show them). */
export function readSettingsForm(form: HTMLFormElement): UpdateMatchingSettings {
  const data = new FormData(form);
  const num = (name: string) => Number(data.get(name) ?? 0);
  const pref = String(data.get('departmentPreference') ?? 'different');
  return {
    weights: Object.fromEntries(MATCH_FACTORS.map((f) => [f, num(`weight-${f}`)])),
    departmentPreference: pref === 'same' || pref === 'none' ? pref : 'different',
    idealSeniorityGap: num('idealSeniorityGap'),
    excludePeers: data.get('excludePeers') === 'on',
    selfServe: data.get('selfServe') === 'on',
    rematchBelow: num('rematchBelow'),
  };
}

/** The settings form; browser validation (min, max, step) checks the numbers before sending. */
export function renderSettingsForm(f: SettingsForm): TemplateResult {
  const s = f.settings;
  return html`<form class="stack" data-settings-form @submit=${f.onSubmit}
    @keydown=${(e: KeyboardEvent) => {
      if (e.key === 'Escape') f.onCancel();
    }}>
    <fieldset>
      <legend>${msg('Weights: the points a perfect fit on each factor earns (0 turns it off)')}</legend>
      <div class="row">
        ${MATCH_FACTORS.map(
          (factor) => html`<div class="field field--narrow">
            <label for="weight-${factor}">${factorName(factor)}</label>
            <input id="weight-${factor}" name="weight-${factor}" type="number" min="0" max="100" step="1" required .value=${String(s.weights[factor])} />
          </div>`,
        )}
      </div>
    </fieldset>
    <div class="row">
      <div class="field">
        <label for="department-preference">${msg('Departments')}</label>
        <select id="department-preference" name="departmentPreference">
          <option value="different" ?selected=${s.departmentPreference === 'different'}>${msg('Pairs across departments score')}</option>
          <option value="same" ?selected=${s.departmentPreference === 'same'}>${msg('Pairs within a department score')}</option>
          <option value="none" ?selected=${s.departmentPreference === 'none'}>${msg('Departments do not count')}</option>
        </select>
      </div>
      <div class="field field--narrow">
        <label for="ideal-gap">${msg('Ideal seniority gap (levels)')}</label>
        <input id="ideal-gap" name="idealSeniorityGap" type="number" min="0" max="9" step="1" required .value=${String(s.idealSeniorityGap)} />
      </div>
      <div class="field field--narrow">
        <label for="rematch-below">${msg('Offer a re-match at an average rating of')}</label>
        <input id="rematch-below" name="rematchBelow" type="number" min="1" max="5" step="0.1" required .value=${String(s.rematchBelow)} />
      </div>
    </div>
    <div class="checks">
      <label><input type="checkbox" name="excludePeers" .checked=${s.excludePeers} /> ${msg('Also keep peers apart (people with the same manager)')}</label>
      <label><input type="checkbox" name="selfServe" .checked=${s.selfServe} /> ${msg('Mentees may choose a mentor themselves')}</label>
    </div>
    <p class="muted">${msg('Runs already made keep the settings they were computed with. The reporting chain is always kept apart.')}</p>
    ${f.error ? html`<p class="error-text" role="alert">${f.error}</p>` : nothing}
    <div class="row">
      <button class="btn btn--primary" type="submit" aria-disabled=${f.busy ? 'true' : 'false'}>${msg('Save settings')}</button>
      <button class="btn" type="button" @click=${f.onCancel}>${msg('Cancel')}</button>
    </div>
  </form>`;
}
