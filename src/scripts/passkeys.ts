// Passkeys in the admin pages, only where the browser has WebAuthn: adding one on the account page, using one as
// the second step or to sign in without a password. Without JavaScript (or WebAuthn) these controls stay hidden and
// the password and code forms work as before. The server's JSON options go to navigator.credentials via
// @simplewebauthn/browser; answers go back as form posts (same origin, so the origin check passes).
import { startAuthentication, startRegistration } from '@simplewebauthn/browser';

type Answer = { ok?: boolean; error?: string; next?: string; restart?: string };

async function post(path: string, fields: Record<string, string>): Promise<{ status: number; body: Answer & Record<string, unknown> }> {
  const r = await fetch(path, { method: 'POST', body: new URLSearchParams(fields), headers: { accept: 'application/json' }, credentials: 'same-origin' });
  const body = await r.json().catch(() => ({ ok: false, error: `The server answered ${r.status}; try again in a minute.` }));
  return { status: r.status, body };
}

/** A browser refusal in words: the prompt closed, timed out, or the passkey is there already. */
function promptProblem(e: unknown): string {
  const name = e instanceof Error ? e.name : '';
  if (name === 'InvalidStateError') return 'This passkey is registered already.';
  if (name === 'NotAllowedError' || name === 'AbortError') return 'The passkey prompt was closed or timed out. Try again.';
  return `The browser could not use a passkey: ${e instanceof Error ? e.message : String(e)}`;
}

function show(box: HTMLElement | null, message: string): void {
  if (!box) return;
  box.textContent = message;
  box.hidden = false;
}

if (typeof window.PublicKeyCredential === 'function') {
  for (const el of document.querySelectorAll<HTMLElement>('[data-passkey]')) el.hidden = false;

  // The account page: name the passkey, create it, store it.
  const register = document.querySelector<HTMLFormElement>('form[data-passkey="register"]');
  register?.addEventListener('submit', async (event) => {
    event.preventDefault();
    const error = register.querySelector<HTMLElement>('[data-passkey-error]');
    if (error) error.hidden = true;
    const name = register.querySelector<HTMLInputElement>('input[name="name"]')!.value;
    const button = register.querySelector<HTMLButtonElement>('button')!;
    button.disabled = true;
    try {
      const options = await post('/admin/account/passkeys', { action: 'options' });
      if (options.status !== 200) return show(error, options.body.error ?? 'The passkey could not be started.');
      let answer;
      try {
        answer = await startRegistration({ optionsJSON: options.body as never });
      } catch (e) {
        return show(error, promptProblem(e));
      }
      const saved = await post('/admin/account/passkeys', { action: 'register', name, response: JSON.stringify(answer) });
      if (saved.body.ok) window.location.assign('/admin/account?passkey=added#passkeys');
      else show(error, saved.body.error ?? 'The passkey could not be added.');
    } finally {
      button.disabled = false;
    }
  });

  // The sign-in pages: a passkey as the second step (step=second) or alone (step=passwordless).
  for (const box of document.querySelectorAll<HTMLElement>('[data-passkey="sign-in"]')) {
    const button = box.querySelector<HTMLButtonElement>('button')!;
    const error = box.querySelector<HTMLElement>('[data-passkey-error]');
    const step = box.dataset.step ?? 'passwordless';
    const next = box.dataset.next ?? '/admin';
    button.addEventListener('click', async () => {
      if (error) error.hidden = true;
      button.disabled = true;
      try {
        const options = await post('/admin/login/passkey', { action: 'options', step, next });
        if (options.body.restart) return window.location.assign(options.body.restart);
        if (options.status !== 200) return show(error, options.body.error ?? 'The passkey sign-in could not be started.');
        let answer;
        try {
          answer = await startAuthentication({ optionsJSON: options.body as never });
        } catch (e) {
          return show(error, promptProblem(e));
        }
        const done = await post('/admin/login/passkey', { action: 'verify', step, next, response: JSON.stringify(answer) });
        if (done.body.ok && done.body.next) return window.location.assign(done.body.next);
        if (done.body.restart) return window.location.assign(done.body.restart);
        show(error, done.body.error ?? 'That passkey was not accepted.');
      } finally {
        button.disabled = false;
      }
    });
  }
}
