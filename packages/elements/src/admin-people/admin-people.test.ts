import { expect } from '@open-wc/testing';
import { DEFAULT_EMBED_SCOPES, SCOPES, type Scope } from '@menteo/api/scopes';
import '../define/provider.js';
import '../define/admin-people.js';
import type { Person } from '@menteo/api/people';
import type { MenteoAdminPeople } from './admin-people.js';
import { $, $$, expectAccessible, until } from '../test-support/index.js';
import { focusWalk, forcedColors, overflowingPage, resetViewport, viewport } from '../test-support/a11y.js';
import { mountAs, useWorld } from '../test-support/real-api.js';

const world = useWorld();
const ADMIN_SCOPES: Scope[] = [...DEFAULT_EMBED_SCOPES, 'org:admin'];
/** What the console's sign-in carries (admin-link): every scope, people:write included. */
const CONSOLE_SCOPES: Scope[] = [...SCOPES];

async function mountAdmin(scopes: Scope[] = ADMIN_SCOPES, admin?: Person) {
  const me = admin ?? (await world.person('Ada Admin', ['admin']));
  const { el } = await mountAs<MenteoAdminPeople>(world, me, 'menteo-admin-people', {}, { scopes });
  await until(() => el.shadowRoot?.querySelector('#people-q'), 'the search');
  return el;
}

async function search(el: MenteoAdminPeople, q: string): Promise<void> {
  $<HTMLInputElement>(el, '#people-q').value = q;
  $<HTMLButtonElement>(el, 'button[type=submit]').click();
  await until(() => el.shadowRoot?.querySelector('tbody') || el.shadowRoot?.textContent?.includes('No one matches.'), 'the results');
}

function row(el: MenteoAdminPeople, person: Person): HTMLElement {
  return $(el, `tr[data-person="${person.id}"]`);
}

function announced(el: MenteoAdminPeople): string {
  return el.shadowRoot!.querySelector('[data-announcer=polite]')?.textContent ?? '';
}

describe('<menteo-admin-people>', () => {
  afterEach(async () => {
    await forcedColors(false);
    await resetViewport();
  });

  it('finds people by name from the keyboard and shows their roles and status', async () => {
    const gone = await world.admin.people.create({ displayName: 'Zed Zebrafinch', email: 'zed@example.com', roles: ['mentor'] });
    await world.admin.people.update(gone.id, { active: false });
    await world.admin.people.create({ displayName: 'Zoe Zebrafinch', email: 'zoe@example.com' });
    const el = await mountAdmin();
    const { sendKeys } = await import('@web/test-runner-commands');
    $<HTMLInputElement>(el, '#people-q').focus();
    await sendKeys({ type: 'zebrafinch' });
    await sendKeys({ press: 'Enter' });
    await until(() => el.shadowRoot?.querySelector('tbody'), 'the results');
    const rows = $$(el, 'tbody tr').map((tr) => [...tr.children].slice(0, 4).map((c) => c.textContent?.trim()));
    expect(rows).to.have.deep.members([
      ['Zed Zebrafinch', 'zed@example.com', 'Mentor', 'Deactivated'],
      ['Zoe Zebrafinch', 'zoe@example.com', 'Member', 'Active'],
    ]);
    expect(el.shadowRoot!.querySelector('[data-announcer=polite]')?.textContent).to.contain('2 people found.');
    // This session has no people:write: no change is offered, and the screen says what would allow it.
    expect(el.shadowRoot!.querySelector('[data-action]')).to.equal(null);
    expect(el.shadowRoot!.textContent).to.contain('people:write');
    await expectAccessible(el);
    await viewport(320);
    expect(overflowingPage(el)).to.deep.equal([]);
  });

  it('says so when no one matches, with a focus ring forced colours keep', async () => {
    const el = await mountAdmin();
    $<HTMLInputElement>(el, '#people-q').value = 'nobody-by-this-name';
    $<HTMLButtonElement>(el, 'button[type=submit]').click();
    await until(() => el.shadowRoot?.textContent?.includes('No one matches.'), 'the empty result');
    await expectAccessible(el);
    await forcedColors(true);
    const { problems } = await focusWalk(el);
    expect(problems).to.deep.equal([]);
  });

  it('changes a person\'s roles from the keyboard, and the server has them', async () => {
    const pat = await world.admin.people.create({ displayName: 'Pat Quokka', email: 'pat.quokka@example.com' });
    const el = await mountAdmin(CONSOLE_SCOPES);
    await search(el, 'quokka');
    const { sendKeys } = await import('@web/test-runner-commands');
    $<HTMLButtonElement>(el, `tr[data-person="${pat.id}"] [data-action=roles]`).focus();
    await sendKeys({ press: 'Enter' });
    await until(() => el.shadowRoot?.activeElement?.matches('.edit input[value=member]'), 'focus in the roles form');
    expect($(el, `tr[data-person="${pat.id}"] [data-action=roles]`).getAttribute('aria-expanded')).to.equal('true');
    await expectAccessible(el);
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Space' });
    $<HTMLButtonElement>(el, '.edit button[type=submit]').click();
    await until(() => !el.shadowRoot?.querySelector('.edit'), 'the form closes');
    expect($(el, `tr[data-person="${pat.id}"] td:nth-of-type(2)`).textContent?.trim()).to.equal('Member, Mentor');
    expect((await world.admin.people.get(pat.id)).roles).to.deep.equal(['member', 'mentor']);
    expect(announced(el)).to.contain('Roles of Pat Quokka saved.');
    expect(el.shadowRoot!.activeElement?.getAttribute('data-action')).to.equal('roles');
  });

  it('deactivates after a confirmation (Cancel focused first), then reactivates', async () => {
    const sam = await world.admin.people.create({ displayName: 'Sam Wombat' });
    const el = await mountAdmin(CONSOLE_SCOPES);
    await search(el, 'wombat');
    $<HTMLButtonElement>(el, `tr[data-person="${sam.id}"] [data-action=status]`).click();
    await until(() => el.shadowRoot?.activeElement?.matches('[data-cancel]'), 'Cancel focused');
    expect($(el, '.confirm').textContent).to.contain('Deactivate Sam Wombat?');
    await expectAccessible(el);
    $<HTMLButtonElement>(el, '.confirm [data-confirm]').click();
    await until(() => row(el, sam).textContent?.includes('Deactivated'), 'deactivated');
    expect((await world.admin.people.get(sam.id)).active).to.equal(false);
    expect(announced(el)).to.contain('Sam Wombat is deactivated.');
    $<HTMLButtonElement>(el, `tr[data-person="${sam.id}"] [data-action=status]`).click();
    await until(() => el.shadowRoot?.querySelector('.confirm'), 'the confirmation');
    // Escape cancels and gives focus back to the button.
    const { sendKeys } = await import('@web/test-runner-commands');
    await sendKeys({ press: 'Escape' });
    await until(() => !el.shadowRoot?.querySelector('.confirm'), 'cancelled');
    expect(el.shadowRoot!.activeElement?.getAttribute('data-action')).to.equal('status');
    $<HTMLButtonElement>(el, `tr[data-person="${sam.id}"] [data-action=status]`).click();
    await until(() => el.shadowRoot?.querySelector('.confirm [data-confirm]'), 'the confirmation');
    $<HTMLButtonElement>(el, '.confirm [data-confirm]').click();
    await until(() => row(el, sam).textContent?.includes('Active'), 'active again');
    expect((await world.admin.people.get(sam.id)).active).to.equal(true);
  });

  it('shows why the last active admin cannot deactivate themselves', async () => {
    // Every other admin of the test organization steps down first (the key may do that).
    for await (const p of world.admin.people.list({ role: 'admin', limit: 100 })) {
      if (p.active) await world.admin.people.update(p.id, { active: false });
    }
    const last = await world.person('Lou Lastadmin', ['admin']);
    const el = await mountAdmin(CONSOLE_SCOPES, last);
    await search(el, 'lastadmin');
    $<HTMLButtonElement>(el, `tr[data-person="${last.id}"] [data-action=status]`).click();
    await until(() => el.shadowRoot?.querySelector('.confirm [data-confirm]'), 'the confirmation');
    $<HTMLButtonElement>(el, '.confirm [data-confirm]').click();
    const alert = await until(() => el.shadowRoot?.querySelector('.confirm [role=alert]'), 'the refusal');
    expect(alert.textContent).to.contain('last active admin');
    expect((await world.admin.people.get(last.id)).active).to.equal(true);
    await expectAccessible(el);
  });
});
