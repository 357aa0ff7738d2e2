/**
 * Localization through `@lit/localize` in runtime mode.
 *
 * `@lit/localize` can be configured once per page (per copy of the library), so configuration
 * happens lazily on the first `applyLocale` call, never at import time. The locale is page-wide:
 * with several providers on a page, the last locale applied wins for strings; dates and numbers
 * use each request's full tag (e.g. `fr-CA`) through `Intl`.
 * @module
 */
import { configureLocalization } from '@lit/localize';
import { sourceLocale, targetLocales } from '../generated/locale-codes.js';
import { setFormatLocale } from './locale-state.js';

type LocaleModule = { templates: Record<string, unknown> };

// Explicit loaders rather than a template-string import, so every bundler and the test
// server can see and split each locale file.
const loaders: Record<string, () => Promise<LocaleModule>> = {
  fr: () => import('../generated/locales/fr.js') as Promise<LocaleModule>,
};

let controls: ReturnType<typeof configureLocalization> | undefined;

/** Locales with complete translations, the source locale first. */
export const supportedLocales: readonly string[] = [sourceLocale, ...targetLocales];

/**
 * The supported locale that best matches a BCP 47 tag: exact, then language only, then the
 * source locale (`fr-CA` → `fr`, `pt-BR` → `en`).
 */
export function matchLocale(tag: string | undefined | null): string {
  if (!tag) return sourceLocale;
  const lower = tag.toLowerCase();
  const exact = supportedLocales.find((l) => l.toLowerCase() === lower);
  if (exact !== undefined) return exact;
  const language = lower.split('-')[0];
  return supportedLocales.find((l) => l.toLowerCase() === language) ?? sourceLocale;
}

/**
 * Switches strings to the best supported match of `tag` and dates/numbers to `tag` itself.
 * Resolves when the translations are loaded and elements have been asked to re-render.
 */
export async function applyLocale(tag: string | undefined | null): Promise<void> {
  const locale = matchLocale(tag);
  setFormatLocale(tag && isValidTag(tag) ? tag : locale);
  controls ??= configureLocalization({
    sourceLocale,
    targetLocales,
    loadLocale: (l) => {
      const load = loaders[l];
      if (load === undefined) return Promise.reject(new Error(`no translations for ${l}`));
      return load() as ReturnType<Parameters<typeof configureLocalization>[0]['loadLocale']>;
    },
  });
  await controls.setLocale(locale);
}

function isValidTag(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}
