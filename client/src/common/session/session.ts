import type { DeviceKind, IssuedToken, PairDeviceResponse, RefreshResponse } from '@jiangxin/shared';
import { useEffect, useSyncExternalStore } from 'react';
import { ApiError, call } from '../api/http';

/**
 * A surface's sign-in, kept in localStorage so a reload (or a reload while offline) keeps it: the bearer token,
 * when it stops working, and what the surface needs to know about whom it belongs to. One store per kind of
 * session (a tablet's, a staff member's), each under its own key.
 */
export interface Session<D> extends IssuedToken {
  data: D;
}

/** What a paired device (a tablet, a big screen) keeps of its pairing: which device, for which competition. */
export interface DeviceData {
  deviceId: string;
  competitionId: string;
  label: string;
}

/** The session a pairing answer starts; null when the code was for another kind of device. */
export function pairedSession(paired: PairDeviceResponse, kind: DeviceKind): Session<DeviceData> | null {
  if (paired.device.kind !== kind) return null;
  const { id, competitionId, label } = paired.device;
  return { token: paired.token, expiresAt: paired.expiresAt, data: { deviceId: id, competitionId, label } };
}

export class SessionStore<D> {
  private listeners = new Set<() => void>();
  private cached: { raw: string | null; value: Session<D> | null } = { raw: null, value: null };

  constructor(private readonly key: string) {
    // Another tab of the same surface signing in or out.
    globalThis.addEventListener?.('storage', (event) => {
      if (event.key === this.key) this.emit();
    });
  }

  get = (): Session<D> | null => {
    let raw: string | null = null;
    try {
      raw = globalThis.localStorage?.getItem(this.key) ?? null;
    } catch {
      raw = null;
    }
    if (raw !== this.cached.raw) {
      let value: Session<D> | null = null;
      try {
        value = raw ? (JSON.parse(raw) as Session<D>) : null;
      } catch {
        value = null;
      }
      this.cached = { raw, value };
    }
    return this.cached.value;
  };

  set(session: Session<D>) {
    localStorage.setItem(this.key, JSON.stringify(session));
    this.emit();
  }

  /** A renewed token for the same holder. */
  renew(issued: IssuedToken) {
    const held = this.get();
    if (held) this.set({ ...held, token: issued.token, expiresAt: issued.expiresAt });
  }

  update(change: (data: D) => D) {
    const held = this.get();
    if (held) this.set({ ...held, data: change(held.data) });
  }

  clear() {
    localStorage.removeItem(this.key);
    this.emit();
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private emit() {
    for (const listener of this.listeners) listener();
  }
}

export function useSession<D>(store: SessionStore<D>): Session<D> | null {
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}

/** Milliseconds until a token should be renewed: at two thirds of its life, and at once when little is left. */
export function renewalDelay(expiresAt: string, now: number, lifetimeMs = 60 * 60 * 1000): number {
  const left = Date.parse(expiresAt) - now;
  return Math.max(0, left - lifetimeMs / 3);
}

export const isExpired = (session: IssuedToken, now = Date.now()) => Date.parse(session.expiresAt) <= now;

/**
 * Renews the session's token before it expires, for as long as the surface is open: at two thirds of its life,
 * when the page becomes visible again, and when the network returns. A 401 means the token is over (expired,
 * revoked): `onEnded` decides what the surface does (a judge is asked for the PIN, a console signs in again).
 */
export function useTokenRenewal<D>(store: SessionStore<D>, onEnded: () => void) {
  const session = useSession(store);
  const token = session?.token ?? null;
  const expiresAt = session?.expiresAt ?? null;

  useEffect(() => {
    if (!token || !expiresAt) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const renew = async () => {
      if (stopped || renewalDelay(expiresAt, Date.now()) > 0) return;
      if (isExpired({ token, expiresAt })) return onEnded();
      try {
        // The call itself, not authApi: endpoints.ts brings the zod schemas, which a first load need not carry.
        store.renew(await call<RefreshResponse>('POST', '/api/auth/refresh', { token }));
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) onEnded();
        // Offline or a server error: try again on the next trigger.
      }
    };
    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(
        () => void renew().finally(schedule),
        Math.max(5_000, renewalDelay(expiresAt, Date.now())),
      );
    };
    const now = () => void renew();
    schedule();
    void renew();
    globalThis.addEventListener('online', now);
    document.addEventListener('visibilitychange', now);
    return () => {
      stopped = true;
      clearTimeout(timer);
      globalThis.removeEventListener('online', now);
      document.removeEventListener('visibilitychange', now);
    };
  }, [store, token, expiresAt, onEnded]);
}
