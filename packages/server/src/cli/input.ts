/**
 * Argument checks shared by the commands, using the API's own schemas where one exists (origins),
 * so the command line accepts exactly what the API accepts.
 * @module
 */
import { Origin } from '@menteo/api/people';
import { isScope, SCOPES, type Scope } from '@menteo/api/scopes';
import * as z from 'zod/mini';
import { isId } from '../storage/ids.js';
import { usageError } from './errors.js';

const Email = z.email();

/** An origin as the organization's allow-list stores it, or a usage error naming the argument. */
export function parseOrigin(value: string): string {
  const parsed = Origin.safeParse(value);
  if (!parsed.success) throw usageError(`"${value}" is not an origin: give scheme and host, e.g. https://intranet.example.com (no path, no trailing slash).`);
  return parsed.data.toLowerCase();
}

/** An email address, or a usage error naming the option. */
export function parseEmail(value: string, option: string): string {
  if (!Email.safeParse(value).success) throw usageError(`${option}: "${value}" is not an email address.`);
  return value;
}

/** How a command names a person: by id or by email. */
export type PersonRef = { readonly kind: 'id'; readonly id: string } | { readonly kind: 'email'; readonly email: string };

/** `per_…` or an email address. */
export function parsePersonRef(value: string, option: string): PersonRef {
  if (value.startsWith('per_')) {
    if (isId(value, 'per')) return { kind: 'id', id: value };
    throw usageError(`${option}: "${value}" is not a person id (per_ and 26 characters).`);
  }
  if (!Email.safeParse(value).success) throw usageError(`${option}: "${value}" is neither an email address nor a person id (per_…).`);
  return { kind: 'email', email: value };
}

/** Scopes from repeated or comma-separated values; every scope when none is given. */
export function parseScopes(values: readonly string[] | undefined): Scope[] {
  if (values === undefined || values.length === 0) return [...SCOPES];
  const scopes = values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter((s) => s !== '');
  const unknown = scopes.filter((s) => !isScope(s));
  if (unknown.length > 0) throw usageError(`Unknown scope ${unknown.join(', ')}; the scopes are: ${SCOPES.join(', ')}.`);
  return scopes.filter(isScope);
}

/** A positive whole number of minutes within bounds. */
export function parseMinutes(value: string, option: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw usageError(`${option} must be a whole number of minutes from 1 to ${max}.`);
  return n;
}

/** The URL browsers reach the server at, without a trailing slash. */
export function parsePublicUrl(value: string, option: string): string {
  const url = value.replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s]+(\/\S*)?$/.test(url)) throw usageError(`${option} must be an http(s) URL, e.g. https://menteo.example.com.`);
  return url;
}

/** Text that must not be blank (names). */
export function parseName(value: string, option: string, max = 120): string {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.length > max) throw usageError(`${option} must be 1 to ${max} characters.`);
  return trimmed;
}
