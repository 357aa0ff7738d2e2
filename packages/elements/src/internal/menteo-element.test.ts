import { expect } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { html } from 'lit';
import { property } from 'lit/decorators.js';
import { MenteoElement, defineElement } from './menteo-element.js';
import { takeWarnings, until } from '../test-support/index.js';

class TokenProbe extends MenteoElement {
  override render() {
    return html`<p>probe</p>`;
  }
}
defineElement('menteo-token-probe', TokenProbe);

class UpdateLoop extends MenteoElement {
  @property({ type: Number }) count = 0;
  protected override updated(): void {
    // A change during `updated` makes Lit schedule another update: a dev-mode warning.
    if (this.count < 1) this.count += 1;
  }
}
defineElement('menteo-update-loop', UpdateLoop);

afterEach(async () => {
  document.body.replaceChildren();
  await emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' });
});

describe('MenteoElement', () => {
  it('records Lit dev-mode warnings, which the shared afterEach turns into failures', async () => {
    const el = document.createElement('menteo-update-loop') as UpdateLoop;
    document.body.append(el);
    await until(() => el.count === 1, 'the second update');
    await el.updateComplete;
    const warnings = takeWarnings();
    expect(warnings.some((w) => w.includes('change-in-update') || w.includes('scheduled an update'))).to.equal(true);
  });

  it('skips a tag that is already defined and warns about the duplicate copy', () => {
    class Copy extends MenteoElement {}
    expect(() => defineElement('menteo-token-probe', Copy)).not.to.throw();
    expect(customElements.get('menteo-token-probe')).to.equal(TokenProbe);
    expect(takeWarnings().some((w) => w.includes('already defined by another copy'))).to.equal(true);
  });

  it('follows the system colour scheme by default and a host token when set', async () => {
    const el = document.createElement('menteo-token-probe');
    document.body.append(el);
    await emulateMedia({ colorScheme: 'dark' });
    await until(() => getComputedStyle(el).color === 'rgb(232, 234, 239)', 'dark text');
    el.style.setProperty('--menteo-color-scheme', 'light');
    await until(() => getComputedStyle(el).color === 'rgb(27, 31, 39)', 'light text');
    el.style.setProperty('--menteo-color-text', 'rebeccapurple');
    await until(() => getComputedStyle(el).color === 'rgb(102, 51, 153)', 'the host token');
  });

  it('turns motion off when the reader prefers reduced motion', async () => {
    const el = document.createElement('menteo-token-probe');
    document.body.append(el);
    expect(getComputedStyle(el).getPropertyValue('--_duration').trim()).to.equal('160ms');
    await emulateMedia({ reducedMotion: 'reduce' });
    await until(() => getComputedStyle(el).getPropertyValue('--_duration').trim() === '0ms', 'no motion');
  });
});
