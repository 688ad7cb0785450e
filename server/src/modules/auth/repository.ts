import type { AccountRole, DeviceKind } from '@jiangxin/shared';
import { and, asc, eq, gt, inArray, isNull, lte, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { accounts, devices, judges, memberships, signInFailures } from '../../db/schema';

/**
 * Storage of accounts, memberships, devices, judges' PINs and failed sign-ins. Only queries: the rules live
 * in service.ts. Every query of a competition's objects names the competition, so nothing of another
 * competition is ever found through it. Times that decide (expiry, rate-limit windows) are the database's
 * clock, the one clock every server process of a venue shares.
 */

const seconds = (n: number) => sql`make_interval(secs => ${n}::integer)`;

// ── Accounts and memberships ─────────────────────────────────────────────────────────────────────────

export async function findAccountByUsername(ex: Executor, username: string) {
  const [row] = await ex.select().from(accounts).where(eq(accounts.username, username));
  return row ?? null;
}

export async function findAccountById(ex: Executor, id: string) {
  const [row] = await ex.select().from(accounts).where(eq(accounts.id, id));
  return row ?? null;
}

/** Inserts an account unless the username is taken; null when it was. */
export async function insertAccount(
  ex: Executor,
  values: { username: string; displayName: string; passwordHash: string; organizer: boolean },
) {
  const [row] = await ex.insert(accounts).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

/** Inserts a membership; false when the account already held that role in the competition. */
export async function insertMembership(
  ex: Executor,
  values: { accountId: string; competitionId: string; role: AccountRole },
) {
  const rows = await ex.insert(memberships).values(values).onConflictDoNothing().returning();
  return rows.length > 0;
}

export async function membershipsOf(ex: Executor, accountId: string) {
  const rows = await ex
    .select({ competitionId: memberships.competitionId, role: memberships.role })
    .from(memberships)
    .where(eq(memberships.accountId, accountId))
    .orderBy(asc(memberships.competitionId), asc(memberships.role));
  return rows.map((r) => ({ competitionId: r.competitionId, role: r.role as AccountRole }));
}

/** Every (account, role) of a competition, by username. */
export async function membersOf(ex: Executor, competitionId: string) {
  const rows = await ex
    .select({
      accountId: accounts.id,
      username: accounts.username,
      displayName: accounts.displayName,
      role: memberships.role,
    })
    .from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(eq(memberships.competitionId, competitionId))
    .orderBy(asc(accounts.username), asc(memberships.role));
  return rows.map((r) => ({ ...r, role: r.role as AccountRole }));
}

// ── Judges ───────────────────────────────────────────────────────────────────────────────────────────

export async function findJudge(ex: Executor, competitionId: string, judgeId: string) {
  const [row] = await ex
    .select({ id: judges.id, name: judges.name, pinHash: judges.pinHash })
    .from(judges)
    .where(and(eq(judges.id, judgeId), eq(judges.competitionId, competitionId)));
  return row ?? null;
}

/** Locks a judge's row for the transaction, so two tablets cannot sign the same judge in at once. */
export async function lockJudge(ex: Executor, competitionId: string, judgeId: string) {
  const [row] = await ex
    .select({ id: judges.id })
    .from(judges)
    .where(and(eq(judges.id, judgeId), eq(judges.competitionId, competitionId)))
    .for('update');
  return row ?? null;
}

export async function judgesOf(ex: Executor, competitionId: string) {
  return ex
    .select({ id: judges.id, name: judges.name, pinSet: sql<boolean>`${judges.pinHash} is not null` })
    .from(judges)
    .where(eq(judges.competitionId, competitionId))
    .orderBy(asc(judges.name), asc(judges.id));
}

export async function setJudgePin(ex: Executor, competitionId: string, judgeId: string, pinHash: string) {
  const [row] = await ex
    .update(judges)
    .set({ pinHash })
    .where(and(eq(judges.id, judgeId), eq(judges.competitionId, competitionId)))
    .returning({ id: judges.id, name: judges.name });
  return row ?? null;
}

// ── Devices ──────────────────────────────────────────────────────────────────────────────────────────

const deviceColumns = {
  id: devices.id,
  competitionId: devices.competitionId,
  kind: devices.kind,
  label: devices.label,
  pairingCodeHash: devices.pairingCodeHash,
  pairingExpiresAt: devices.pairingExpiresAt,
  pairedAt: devices.pairedAt,
  revokedAt: devices.revokedAt,
  tokenVersion: devices.tokenVersion,
  createdAt: devices.createdAt,
  judgeId: devices.judgeId,
  judgeName: judges.name,
};

export type DeviceRow = {
  id: string;
  competitionId: string;
  kind: DeviceKind;
  label: string;
  pairingCodeHash: string | null;
  pairingExpiresAt: Date | null;
  pairedAt: Date | null;
  revokedAt: Date | null;
  tokenVersion: number;
  createdAt: Date;
  judgeId: string | null;
  judgeName: string | null;
};

const asDevice = (row: Omit<DeviceRow, 'kind'> & { kind: string }): DeviceRow => ({
  ...row,
  kind: row.kind as DeviceKind,
});

export async function insertDevice(
  ex: Executor,
  values: { competitionId: string; kind: DeviceKind; label: string; pairingCodeHash: string },
  pairingTtlSeconds: number,
) {
  const [row] = await ex
    .insert(devices)
    .values({ ...values, pairingExpiresAt: sql`now() + ${seconds(pairingTtlSeconds)}` })
    .returning({ id: devices.id });
  if (!row) throw new Error('device insert returned nothing');
  return row.id;
}

/** A device of the competition (never another competition's), with the judge signed in on it. */
export async function findDevice(ex: Executor, competitionId: string, deviceId: string) {
  const [row] = await ex
    .select(deviceColumns)
    .from(devices)
    .leftJoin(judges, eq(judges.id, devices.judgeId))
    .where(and(eq(devices.id, deviceId), eq(devices.competitionId, competitionId)));
  return row ? asDevice(row) : null;
}

export async function devicesOf(ex: Executor, competitionId: string) {
  const rows = await ex
    .select(deviceColumns)
    .from(devices)
    .leftJoin(judges, eq(judges.id, devices.judgeId))
    .where(eq(devices.competitionId, competitionId))
    .orderBy(asc(devices.createdAt), asc(devices.id));
  return rows.map(asDevice);
}

/** Locks a device's row for the transaction. */
export async function lockDevice(ex: Executor, competitionId: string, deviceId: string) {
  const [row] = await ex
    .select({ id: devices.id, revokedAt: devices.revokedAt })
    .from(devices)
    .where(and(eq(devices.id, deviceId), eq(devices.competitionId, competitionId)))
    .for('update');
  return row ?? null;
}

/** The device waiting for this pairing code, locked, and whether the code is still valid by the database's clock. */
export async function findByPairingCode(ex: Executor, pairingCodeHash: string) {
  const [row] = await ex
    .select({
      id: devices.id,
      competitionId: devices.competitionId,
      kind: devices.kind,
      label: devices.label,
      valid: sql<boolean>`${devices.pairingExpiresAt} > now()`,
    })
    .from(devices)
    .where(and(eq(devices.pairingCodeHash, pairingCodeHash), isNull(devices.revokedAt)))
    .limit(1)
    .for('update');
  return row ? { ...row, kind: row.kind as DeviceKind } : null;
}

/** A new pairing code for a device that is not revoked. */
export async function replacePairingCode(
  ex: Executor,
  competitionId: string,
  deviceId: string,
  pairingCodeHash: string,
  pairingTtlSeconds: number,
) {
  const [row] = await ex
    .update(devices)
    .set({ pairingCodeHash, pairingExpiresAt: sql`now() + ${seconds(pairingTtlSeconds)}` })
    .where(and(eq(devices.id, deviceId), eq(devices.competitionId, competitionId), isNull(devices.revokedAt)))
    .returning({ id: devices.id });
  return row ?? null;
}

/**
 * Uses up the pairing code: the code can never be used again, and a new token version ends whatever tokens
 * an earlier pairing of the same device held (and signs out its judge).
 */
export async function completePairing(ex: Executor, deviceId: string) {
  const [row] = await ex
    .update(devices)
    .set({
      pairingCodeHash: null,
      pairingExpiresAt: null,
      pairedAt: sql`now()`,
      judgeId: null,
      tokenVersion: sql`${devices.tokenVersion} + 1`,
    })
    .where(and(eq(devices.id, deviceId), isNull(devices.revokedAt)))
    .returning({ tokenVersion: devices.tokenVersion });
  return row ?? null;
}

/** Active (unrevoked) tablets other than `exceptDeviceId` on which the judge is signed in. */
export async function tabletsOfJudge(ex: Executor, judgeId: string, exceptDeviceId: string) {
  return ex
    .select({ id: devices.id, label: devices.label })
    .from(devices)
    .where(and(eq(devices.judgeId, judgeId), isNull(devices.revokedAt), ne(devices.id, exceptDeviceId)));
}

/** Signs a judge in on a tablet no judge is signed in on; the new version ends the tablet token. */
export async function bindJudge(ex: Executor, deviceId: string, judgeId: string) {
  const [row] = await ex
    .update(devices)
    .set({ judgeId, tokenVersion: sql`${devices.tokenVersion} + 1` })
    .where(
      and(
        eq(devices.id, deviceId),
        eq(devices.kind, 'judge'),
        isNull(devices.revokedAt),
        isNull(devices.judgeId),
      ),
    )
    .returning({ tokenVersion: devices.tokenVersion });
  return row ?? null;
}

/** Signs the judge out of the tablet; the new version ends the judge token. */
export async function unbindJudge(ex: Executor, deviceId: string, judgeId: string) {
  const [row] = await ex
    .update(devices)
    .set({ judgeId: null, tokenVersion: sql`${devices.tokenVersion} + 1` })
    .where(and(eq(devices.id, deviceId), eq(devices.judgeId, judgeId), isNull(devices.revokedAt)))
    .returning({ tokenVersion: devices.tokenVersion });
  return row ?? null;
}

/** Revokes a device: every token it holds stops working, and its pairing code too. */
export async function revokeDevice(ex: Executor, competitionId: string, deviceId: string) {
  const [row] = await ex
    .update(devices)
    .set({
      revokedAt: sql`now()`,
      tokenVersion: sql`${devices.tokenVersion} + 1`,
      pairingCodeHash: null,
      pairingExpiresAt: null,
    })
    .where(and(eq(devices.id, deviceId), eq(devices.competitionId, competitionId), isNull(devices.revokedAt)))
    .returning({ id: devices.id });
  return row ?? null;
}

// ── Failed sign-ins ──────────────────────────────────────────────────────────────────────────────────

/** A class id for advisory locks on sign-in keys, apart from any other use of advisory locks. */
const SIGN_IN_LOCK_CLASS = 0x5149;

/** Serialises the attempts of one key until the transaction ends (whichever server process makes them). */
export async function lockKey(tx: Executor, key: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(${SIGN_IN_LOCK_CLASS}, hashtext(${key}))`);
}

/**
 * Records an attempt under a key (kept as a failure unless it is deleted again); returns its id and time,
 * which is the database's clock.
 */
export async function recordAttempt(ex: Executor, key: string) {
  const [row] = await ex
    .insert(signInFailures)
    .values({ key })
    .returning({ id: signInFailures.id, at: signInFailures.at });
  if (!row) throw new Error('sign-in attempt insert returned nothing');
  return row;
}

/** The attempts of a key within the window, oldest first, each with the database's time of asking. */
export async function attemptsWithin(ex: Executor, key: string, windowSeconds: number) {
  return ex
    .select({ id: signInFailures.id, at: signInFailures.at, now: sql`now()`.mapWith(signInFailures.at) })
    .from(signInFailures)
    .where(and(eq(signInFailures.key, key), gt(signInFailures.at, sql`now() - ${seconds(windowSeconds)}`)))
    .orderBy(asc(signInFailures.at), asc(signInFailures.id));
}

export async function deleteAttempts(ex: Executor, ids: string[]) {
  if (ids.length > 0) await ex.delete(signInFailures).where(inArray(signInFailures.id, ids));
}

export async function clearAttempts(ex: Executor, key: string) {
  await ex.delete(signInFailures).where(eq(signInFailures.key, key));
}

/** Forgets a key's attempts that have left the window. */
export async function forgetOldAttempts(ex: Executor, key: string, windowSeconds: number) {
  await ex
    .delete(signInFailures)
    .where(and(eq(signInFailures.key, key), lte(signInFailures.at, sql`now() - ${seconds(windowSeconds)}`)));
}
