import type { Credentials } from '../api/client';

const KEY = 'open-studio.credentials';

/**
 * The signed-in account. Kept in sessionStorage (gone when the tab closes) unless the user
 * asks to be remembered on this browser.
 */
export function storedCredentials(): Credentials | undefined {
  const text = sessionStorage.getItem(KEY) ?? localStorage.getItem(KEY);
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<Credentials>;
    return typeof value.accountSid === 'string' && typeof value.authToken === 'string' ? { accountSid: value.accountSid, authToken: value.authToken } : undefined;
  } catch {
    return undefined;
  }
}

export function storeCredentials(credentials: Credentials, remember: boolean): void {
  (remember ? localStorage : sessionStorage).setItem(KEY, JSON.stringify(credentials));
}

export function forgetCredentials(): void {
  sessionStorage.removeItem(KEY);
  localStorage.removeItem(KEY);
}
