// The host page's only Menteo-specific code: tell the provider how to get a client secret.
// The secret comes from this intranet's own backend, which holds the Menteo API key; the
// browser never sees the key, and the access token the provider gets lives in memory only.
const provider = document.getElementById('menteo');

provider.clientSecret = async () => {
  const response = await fetch('/api/menteo/client-secret', {
    method: 'POST',
    // Demo only: the per-tab "signed in as" choice. A real intranet uses its own session.
    headers: { 'x-requested-with': 'intranet', 'x-intranet-user': provider.dataset.intranetUser ?? '' },
    credentials: 'same-origin',
  });
  if (!response.ok) throw new Error(`The intranet could not start a Menteo session (${response.status}).`);
  const { clientSecret } = await response.json();
  return clientSecret;
};

// Hosts can react to what happens inside the widgets: the events bubble out of shadow roots.
document.addEventListener('menteo-post-create', (event) => {
  console.info('[intranet] a post was created', event);
});
