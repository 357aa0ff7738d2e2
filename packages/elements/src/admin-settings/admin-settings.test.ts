import { expect } from '@open-wc/testing';
import { DEFAULT_EMBED_SCOPES, SCOPES, type Scope } from '@menteo/api/scopes';
import '../define/provider.js';
import '../define/admin-settings.js';
import type { MenteoAdminSettings } from './admin-settings.js';
import { $, $$, expectAccessible, until } from '../test-support/index.js';
import { focusWalk, forcedColors, overflowingPage, resetViewport, viewport } from '../test-support/a11y.js';
import { mountAs, useWorld } from '../test-support/real-api.js';

const world = useWorld();
const ADMIN_SCOPES: Scope[] = [...DEFAULT_EMBED_SCOPES, 'org:admin'];

async function mountAdmin(scopes: Scope[] = ADMIN_SCOPES) {
  const admin = await world.person('Ada Admin', ['admin']);
  const { el, client } = await mountAs<MenteoAdminSettings>(world, admin, 'menteo-admin-settings', {}, { scopes });
  await until(() => el.shadowRoot?.querySelector('[data-content-access], .state--error'), 'the settings');
  return { el, client, admin };
}

describe('<menteo-admin-settings>', () => {
  afterEach(async () => {
    await forcedColors(false);
    await resetViewport();
    await world.admin.organization.update({ adminContentAccess: false });
  });

  it('shows the allowed origins and that admins cannot read room content, with no read in the audit log', async () => {
    const org = await world.admin.organization.get();
    const { el, admin } = await mountAdmin();
    expect($$(el, 'li code').map((c) => c.textContent)).to.deep.equal(org.allowedOrigins);
    expect($(el, '[data-content-access]').getAttribute('data-content-access')).to.equal('off');
    expect($(el, '[data-content-access]').textContent).to.contain('never what people wrote');
    // The people the world added are admin changes, recorded; no read of room content is.
    const rows = $$(el, '#audit-rows tr').map((tr) => [...tr.children].map((c) => c.textContent?.trim() ?? ''));
    expect(rows[0]![2]).to.equal(`Added person ${admin.id}`);
    expect(rows.some((r) => r[2]!.startsWith('Read '))).to.equal(false);
    await expectAccessible(el);
    await viewport(320);
    expect(overflowingPage(el)).to.deep.equal([]);
  });

  it('lists the setting being turned on and an admin reading a room, newest first', async () => {
    await world.admin.organization.update({ adminContentAccess: true });
    const reader = await world.person('Rex Reader', ['admin']);
    await world.clientFor(reader, { scopes: ADMIN_SCOPES }).rooms.messages.list(world.room.id);
    const { el } = await mountAdmin();
    expect($(el, '[data-content-access]').getAttribute('data-content-access')).to.equal('on');
    const rows = $$(el, '#audit-rows tr').map((tr) => [...tr.children].map((c) => c.textContent?.trim() ?? ''));
    const whats = rows.map((r) => r[2]);
    const read = whats.indexOf(`Read messages of room ${world.room.id}`);
    expect(rows[read]?.[1]).to.equal(`Person ${reader.id}`);
    expect(whats.indexOf('Turned admin access to room content on')).to.be.greaterThan(read);
    await expectAccessible(el);
    await forcedColors(true);
    const { problems } = await focusWalk(el);
    expect(problems).to.deep.equal([]);
  });

  it('lists who gave a person the admin role, with the roles before and after', async () => {
    const sam = await world.person('Sam Member');
    await world.admin.people.update(sam.id, { roles: ['member', 'admin'] });
    const { el } = await mountAdmin();
    const rows = $$(el, '#audit-rows tr').map((tr) => [...tr.children].map((c) => c.textContent?.trim() ?? ''));
    const row = rows.find((r) => r[2] === `Changed the roles of ${sam.id}: member → member, admin`);
    expect(row, JSON.stringify(rows)).to.not.equal(undefined);
    expect(row![1]).to.match(/^API key key_/);
    await expectAccessible(el);
  });

  it('adds an origin after checking its shape, and removes it after a confirmation', async () => {
    const { el } = await mountAdmin();
    const input = $<HTMLInputElement>(el, '#origin-new');
    input.value = 'https://lms.example.com/course/1';
    $<HTMLButtonElement>(el, 'form.inline button[type=submit]').click();
    await until(() => el.shadowRoot?.querySelector('#origin-error'), 'the shape error');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(el.shadowRoot!.activeElement?.id).to.equal('origin-new');
    await expectAccessible(el);
    input.value = 'https://lms.example.com/';
    $<HTMLButtonElement>(el, 'form.inline button[type=submit]').click();
    await until(() => $$(el, 'li code').some((c) => c.textContent === 'https://lms.example.com'), 'the new origin');
    expect((await world.admin.organization.get()).allowedOrigins).to.include('https://lms.example.com');
    $<HTMLButtonElement>(el, '[data-remove-origin="https://lms.example.com"]').click();
    await until(() => el.shadowRoot?.activeElement?.matches('.confirm [data-cancel]'), 'Cancel focused');
    await expectAccessible(el);
    $<HTMLButtonElement>(el, '.confirm [data-confirm]').click();
    await until(() => !$$(el, 'li code').some((c) => c.textContent === 'https://lms.example.com'), 'the origin removed');
    expect((await world.admin.organization.get()).allowedOrigins).not.to.include('https://lms.example.com');
  });

  it('creates a key with the scopes chosen, shows its secret once with a copy button, and revokes it after a confirmation', async () => {
    const { el } = await mountAdmin([...SCOPES]);
    $<HTMLInputElement>(el, '#key-name').value = 'Payroll sync';
    for (const box of $$<HTMLInputElement>(el, 'fieldset input[name=scope]')) box.checked = box.value === 'people:read';
    $<HTMLButtonElement>(el, 'form.key button[type=submit]').click();
    const field = await until(() => el.shadowRoot?.querySelector<HTMLInputElement>('#key-secret'), 'the secret');
    expect(field.value).to.match(/^mk_/);
    await until(() => el.shadowRoot?.activeElement?.id === 'key-secret', 'focus on the secret');
    await expectAccessible(el);
    const secret = field.value;
    $<HTMLButtonElement>(el, '.once .btn--primary').click();
    await until(() => /Copied|selected/.test(el.shadowRoot!.querySelector('[data-announcer=polite]')?.textContent ?? ''), 'the copy announced');
    const created = (await world.admin.apiKeys.list({ limit: 100 })).items.find((k) => k.name === 'Payroll sync');
    expect(created?.scopes).to.deep.equal(['people:read']);
    $<HTMLButtonElement>(el, '[data-once-done]').click();
    await until(() => !el.shadowRoot?.querySelector('#key-secret'), 'the secret put away');
    expect(el.shadowRoot!.innerHTML).not.to.contain(secret);
    $<HTMLButtonElement>(el, `[data-revoke="${created!.id}"]`).click();
    await until(() => el.shadowRoot?.querySelector('.confirm [data-confirm]'), 'the confirmation');
    $<HTMLButtonElement>(el, '.confirm [data-confirm]').click();
    await until(() => $(el, `tr[data-key="${created!.id}"]`).textContent?.includes('Revoked'), 'revoked');
    expect((await world.admin.apiKeys.list({ limit: 100 })).items.find((k) => k.id === created!.id)?.revokedAt).not.to.equal(null);
  });

  it('says which scope a key may not have when the server refuses it', async () => {
    const { el } = await mountAdmin();
    $<HTMLInputElement>(el, '#key-name').value = 'Wider';
    // The form offers only the session's own scopes; a scope added by hand is refused by the server.
    const extra = document.createElement('input');
    Object.assign(extra, { type: 'checkbox', name: 'scope', value: 'rooms:write', checked: true });
    $(el, 'form.key fieldset').append(extra);
    $<HTMLButtonElement>(el, 'form.key button[type=submit]').click();
    const alert = await until(() => el.shadowRoot?.querySelector('form.key [role=alert]'), 'the refusal');
    expect(alert.textContent).to.contain('rooms:write');
  });
});
