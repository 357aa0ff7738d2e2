/**
 * A 1–5 rating as a native radio group in a fieldset: arrow keys, labels and validity come from
 * the platform, and every choice has words, not only a number or a star.
 * @module
 */
import { html, type TemplateResult } from 'lit';

export function ratingGroup(opts: {
  id: string;
  legend: string;
  labels: readonly string[];
  value: string;
  invalid: boolean;
  error: string | undefined;
  disabled: boolean;
  onChange: (value: string) => void;
}): TemplateResult {
  const errId = `${opts.id}-error`;
  return html`<fieldset part="rating" class="rating" aria-describedby=${errId} ?disabled=${opts.disabled}>
    <legend>${opts.legend}</legend>
    <div class="rating__options">
      ${opts.labels.map((label, i) => {
        const v = String(i + 1);
        return html`<label class="rating__option">
          <input
            type="radio"
            name=${opts.id}
            .value=${v}
            .checked=${opts.value === v}
            aria-invalid=${opts.invalid ? 'true' : 'false'}
            ?data-validity-anchor=${i === 0}
            @change=${() => opts.onChange(v)}
          />
          <span class="rating__num" aria-hidden="true">${v}</span>
          <span class="rating__label">${label}</span>
        </label>`;
      })}
    </div>
    <span id=${errId} class="error-text">${opts.invalid ? opts.error : ''}</span>
  </fieldset>`;
}
