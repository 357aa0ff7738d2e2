/**
 * Browser side of the LTI platform storage messages (`lti.put_data` / `lti.get_data`), used when
 * the browser refuses our cookie inside the LMS iframe. The tool keeps its login state in the
 * platform's window instead: the platform answers by postMessage, from its own origin.
 * @module
 */
import { scriptJson } from './html.js';

/**
 * The script's shared part: `lti(subject, body)` sends one message to the storage target and
 * resolves with the matching response, or rejects after a short wait.
 */
function helper(target: string, platformOrigin: string): string {
  return `const target = ${scriptJson(target)};
const platformOrigin = ${scriptJson(platformOrigin)};
function frame() {
  if (target === '_parent') return window.parent;
  try { return window.parent.frames[target] || window.parent; } catch (e) { return window.parent; }
}
function lti(subject, body) {
  return new Promise(function (resolve, reject) {
    const id = Math.random().toString(36).slice(2) + Date.now().toString(36);
    const timer = setTimeout(function () { window.removeEventListener('message', on); reject(new Error('timeout')); }, 3000);
    function on(event) {
      if (event.origin !== platformOrigin || !event.data || event.data.message_id !== id) return;
      if (event.data.subject !== subject + '.response') return;
      clearTimeout(timer);
      window.removeEventListener('message', on);
      if (event.data.error) reject(new Error(event.data.error.message || event.data.error.code || 'error'));
      else resolve(event.data);
    }
    window.addEventListener('message', on);
    frame().postMessage(Object.assign({ subject: subject, message_id: id }, body), platformOrigin);
  });
}`;
}

/** Script for the login page: store state and nonce in the platform, then go to the platform's auth URL. */
export function putStateScript(options: { target: string; platformOrigin: string; state: string; nonce: string; next: string }): string {
  return `${helper(options.target, options.platformOrigin)}
const next = ${scriptJson(options.next)};
Promise.all([
  lti('lti.put_data', { key: 'state_' + ${scriptJson(options.state)}, value: ${scriptJson(options.state)} }),
  lti('lti.put_data', { key: 'nonce_' + ${scriptJson(options.nonce)}, value: ${scriptJson(options.nonce)} }),
]).catch(function () { /* the cookie may still work */ }).then(function () { window.location.assign(next); });`;
}

/** Script for the launch page without cookie: read the state back and confirm the launch. */
export function getStateScript(options: { target: string; platformOrigin: string; state: string; formId: string; errorId: string }): string {
  return `${helper(options.target, options.platformOrigin)}
const state = ${scriptJson(options.state)};
lti('lti.get_data', { key: 'state_' + state }).then(function (response) {
  if (response.value !== state) throw new Error('state mismatch');
  const form = document.getElementById(${scriptJson(options.formId)});
  form.elements.namedItem('state').value = response.value;
  form.submit();
}).catch(function () {
  document.getElementById(${scriptJson(options.errorId)}).hidden = false;
});`;
}
