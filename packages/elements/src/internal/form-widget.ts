/**
 * What the check-in and feedback forms share: form association through `ElementInternals`
 * (value, validity, reset, disabled), drafts kept until the server acknowledges, and a send
 * flow that never loses what the person entered.
 * @module
 */
import { property, state } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import { MenteoWidget } from './widget.js';
import { DraftStore, newIdempotencyKey } from './draft-store.js';
import { describeError } from './errors.js';
import { MenteoErrorEvent } from '../events.js';

export abstract class MenteoFormWidget<Fields extends Record<string, string>> extends MenteoWidget {
  /** Lets the element take part in a host `<form>`: its value, validity and reset. */
  static formAssociated = true;

  /** The room the form sends to. */
  @property({ attribute: 'room-id', reflect: true }) roomId: string | undefined = undefined;

  /** The name under which the value is submitted with a host `<form>`. */
  @property({ reflect: true }) name = '';

  /** Disables the form (also set by a disabled ancestor `<fieldset>`). */
  @property({ type: Boolean, reflect: true }) disabled = false;

  @state() protected fields: Fields;
  @state() protected sending = false;
  @state() protected sendError: string | undefined;
  @state() protected sentMessage: string | undefined;
  @state() protected showErrors = false;

  protected readonly internals: ElementInternals;
  private draft: DraftStore | undefined;
  private draftKey = '';
  private pendingKey: string | undefined;
  private formDisabled = false;

  constructor() {
    super();
    this.internals = this.attachInternals();
    this.useInternals(this.internals);
    this.fields = this.emptyFields();
  }

  /** The fields of a fresh form. */
  protected abstract emptyFields(): Fields;
  /** A message per invalid field, or an empty object when the form can be sent. */
  protected abstract validate(fields: Fields): Partial<Record<keyof Fields, string>>;
  /** Sends to Menteo; resolves with the created resource. */
  protected abstract send(fields: Fields, idempotencyKey: string): Promise<unknown>;
  /** Announces and dispatches the success event for `created`. */
  protected abstract acknowledged(created: unknown): void;
  /** The draft key prefix (`check-in`, `feedback`). */
  protected abstract readonly kind: string;

  /** The form's current values. */
  get value(): Readonly<Fields> {
    return this.fields;
  }

  /** The owning host form, if any. */
  get form(): HTMLFormElement | null {
    return this.internals.form;
  }

  /** Whether the form can be sent. */
  checkValidity(): boolean {
    return this.internals.checkValidity();
  }

  /** Like `checkValidity`, and shows the messages. */
  reportValidity(): boolean {
    this.showErrors = true;
    return this.internals.reportValidity();
  }

  protected override willUpdate(): void {
    const key = `${this.kind}:${this.draftOwner()}:${this.roomId ?? 'none'}`;
    if (key !== this.draftKey) {
      this.draftKey = key;
      this.draft = new DraftStore(key);
      const saved = this.draft.load();
      this.fields = { ...this.emptyFields(), ...(saved?.fields as Partial<Fields> | undefined) };
      this.pendingKey = saved?.idempotencyKey;
    }
  }

  protected override firstUpdated(): void {
    if (!this.roomId) this.warn('no-id', 'needs a `room-id` attribute: it sends to that room.');
  }

  protected override updated(): void {
    this.syncForm();
  }

  private syncForm(): void {
    // The value a host form submits: the fields as JSON, under `name`.
    this.internals.setFormValue(JSON.stringify(this.fields));
    const errors = this.validate(this.fields);
    const first = Object.values(errors)[0] as string | undefined;
    const anchor = this.renderRoot.querySelector<HTMLElement>('[data-validity-anchor]') ?? undefined;
    if (first) this.internals.setValidity({ customError: true }, first, anchor);
    else this.internals.setValidity({});
  }

  protected setField<K extends keyof Fields>(key: K, value: Fields[K]): void {
    this.fields = { ...this.fields, [key]: value };
    this.sendError = undefined;
    this.sentMessage = undefined;
    this.draft?.save(Object.values(this.fields).join(''), this.fields, this.pendingKey);
  }

  protected get isDisabled(): boolean {
    return this.disabled || this.formDisabled;
  }

  /** Sends the form to Menteo (what its own submit button does). */
  async submit(ev?: Event): Promise<boolean> {
    ev?.preventDefault();
    if (this.sending || this.isDisabled) return false;
    this.showErrors = true;
    const errors = this.validate(this.fields);
    if (Object.keys(errors).length > 0) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return false;
    }
    this.pendingKey ??= newIdempotencyKey();
    this.draft?.save(Object.values(this.fields).join(''), this.fields, this.pendingKey);
    this.sending = true;
    this.sendError = undefined;
    try {
      const created = await this.send(this.fields, this.pendingKey);
      this.pendingKey = undefined;
      this.draft?.clear();
      this.fields = this.emptyFields();
      this.showErrors = false;
      this.acknowledged(created);
      return true;
    } catch (error) {
      this.sendError = msg(str`Not sent. ${describeError(error)}`);
      this.announcer.assertive(this.sendError);
      this.dispatchEvent(new MenteoErrorEvent(`${this.kind}-submit`, error));
      return false;
    } finally {
      this.sending = false;
    }
  }

  /** Called by the host form on reset: clears the fields and the draft. */
  formResetCallback(): void {
    this.draft?.clear();
    this.pendingKey = undefined;
    this.fields = this.emptyFields();
    this.showErrors = false;
  }

  /** Called when an ancestor fieldset is disabled or enabled. */
  formDisabledCallback(disabled: boolean): void {
    this.formDisabled = disabled;
    this.requestUpdate();
  }

  /** Restores the value after a back/forward navigation. */
  formStateRestoreCallback(state: string | File | FormData | null): void {
    if (typeof state !== 'string') return;
    try {
      this.fields = { ...this.emptyFields(), ...(JSON.parse(state) as Partial<Fields>) };
    } catch {
      // Not ours: ignore.
    }
  }
}
