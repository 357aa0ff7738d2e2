/**
 * The matching namespace of the client, loaded on first use. Its contract's schemas weigh more
 * than a widget's whole budget, and widgets otherwise reach the API through the provider's
 * client, which does not carry them: so they come as a separate chunk, fetched while the widget
 * shows its loading state.
 * @module
 */
import type { MatchingApi } from '@menteo/client/matching';
import type { Transport } from '@menteo/client/transport';

let loading: Promise<typeof import('@menteo/client/matching')> | undefined;

/** `matchingApi(client)`, once its module has loaded (a failed load is tried again next time). */
export async function matchingOf(client: Transport): Promise<MatchingApi> {
  loading ??= import('@menteo/client/matching');
  try {
    return (await loading).matchingApi(client);
  } catch (error) {
    loading = undefined;
    throw error;
  }
}
