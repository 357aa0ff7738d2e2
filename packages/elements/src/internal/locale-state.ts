/**
 * The locale `Intl` formatters use. Kept apart from `localization.ts` (which configures
 * `@lit/localize` and knows the translation modules) so that widgets formatting dates do not
 * carry the loader and the translations in their bundles: only the provider sets the locale.
 * @module
 */
let formatLocale = 'en';

/** The locale that `Intl` formatters use. */
export function currentFormatLocale(): string {
  return formatLocale;
}

/** Sets the locale of `Intl` formatters (a valid BCP 47 tag). */
export function setFormatLocale(tag: string): void {
  formatLocale = tag;
}
