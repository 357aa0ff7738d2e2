/**
 * What a matching run was computed from, as the admin reads it later: the settings and weights,
 * the locks and exclusions, and every profile as it was. Loaded with `import()` only when an
 * admin asks, so the matching screen's first load does not carry it.
 * @module
 */
import { html, type TemplateResult } from 'lit';
import { msg, str } from '@lit/localize';
import type { MatchingRunInputs } from '@menteo/api/matching';
import { factorName } from '../match-suggestions/match-reasons.js';
import { formatDateTime } from '../internal/format.js';

function departmentPreference(p: MatchingRunInputs['settings']['departmentPreference']): string {
  switch (p) {
    case 'different': return msg('pairs across departments score');
    case 'same': return msg('pairs within a department score');
    case 'none': return msg('departments do not count');
  }
}

/** The inputs of a run; `nameOf` gives a person's name from their id. */
export function renderInputs(inputs: MatchingRunInputs, nameOf: (id: string) => string): TemplateResult {
  const s = inputs.settings;
  const weights = (Object.entries(s.weights) as Array<[keyof typeof s.weights, number]>).map(([f, w]) => `${factorName(f)} ${w}`).join(' · ');
  const list = (items: string[]) => items.join(', ') || '—';
  const updated = s.updatedAt ? formatDateTime(new Date(s.updatedAt)) : msg('never changed (defaults)');
  return html`<h4 tabindex="-1">${msg('What this run used')}</h4>
    <dl>
      <dt>${msg('Weights')}</dt><dd>${weights}</dd>
      <dt>${msg('Departments')}</dt><dd>${departmentPreference(s.departmentPreference)}</dd>
      <dt>${msg('Ideal seniority gap')}</dt><dd>${s.idealSeniorityGap}</dd>
      <dt>${msg('Peers excluded')}</dt><dd>${s.excludePeers ? msg('yes') : msg('no')}</dd>
      <dt>${msg('Settings last changed')}</dt><dd>${updated}</dd>
      <dt>${msg('Locked pairs')}</dt><dd>${list(inputs.locks.map((l) => `${nameOf(l.menteeId)} → ${nameOf(l.mentorId)}`))}</dd>
      <dt>${msg('Left out')}</dt><dd>${list(inputs.excludedPersonIds.map(nameOf))}</dd>
      <dt>${msg('Pairs already in a room')}</dt><dd>${list(inputs.existingPairs.map((l) => `${nameOf(l.menteeId)} → ${nameOf(l.mentorId)}`))}</dd>
      <dt>${msg('Excluded pairs')}</dt><dd>${list(s.excludedPairs.map((l) => `${nameOf(l.menteeId)} → ${nameOf(l.mentorId)}`))}</dd>
    </dl>
    <div class="table-wrap"><table>
      <caption>${msg(str`Profiles as they were (${inputs.profiles.length})`)}</caption>
      <thead><tr>
        <th scope="col">${msg('Person')}</th><th scope="col">${msg('Role')}</th><th scope="col">${msg('Skills')}</th><th scope="col">${msg('Time zone')}</th>
        <th scope="col">${msg('Languages')}</th><th scope="col">${msg('Department')}</th><th scope="col" class="num">${msg('Level')}</th>
        <th scope="col" class="num">${msg('Capacity')}</th><th scope="col" class="num">${msg('Active rooms')}</th>
      </tr></thead>
      <tbody>${inputs.profiles.map(
        ({ role, profile: p, activeRooms }) => html`<tr>
          <th scope="row">${nameOf(p.personId)}${p.optedOut ? html` <span class="badge">${msg('opted out')}</span>` : ''}</th>
          <td>${role === 'mentor' ? msg('Mentor') : msg('Mentee')}</td>
          <td>${list(role === 'mentor' ? p.offers : p.wants)}</td>
          <td>${p.timeZone ?? '—'}</td><td>${list(p.languages)}</td><td>${p.department ?? '—'}</td>
          <td class="num">${p.seniority ?? '—'}</td><td class="num">${role === 'mentor' ? p.capacity : '—'}</td><td class="num">${activeRooms}</td>
        </tr>`,
      )}</tbody>
    </table></div>`;
}
