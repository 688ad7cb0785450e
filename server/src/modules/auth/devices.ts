import {
  type CreateDeviceRequest,
  type CreateDeviceResponse,
  type Device,
  type DevicesResponse,
  type PairDeviceResponse,
  pairingUri,
} from '@jiangxin/shared';
import type { Executor } from '../../db/client';
import type { Tokens } from '../../plugins/auth';
import { audited, type Writer } from '../audit/service';
import { type AccountPrincipal, actorOf, error, issuer, notFound } from './common';
import { limitedPairing } from './pairing-limit';
import { newPairingCode } from './passwords';
import * as repo from './repository';

/**
 * Devices: the organizer creates a tablet or a display and hands it a one-time pairing code; pairing gives
 * the device its token; revoking (or pairing again) ends the device's tokens at once.
 */

/** A pairing code works for 15 minutes, once. */
export const PAIRING_TTL_SECONDS = 15 * 60;

const deviceNotFound = () => notFound({ 'zh-CN': '设备', en: 'device' });

const deviceRevoked = () =>
  error(409, 'device_revoked', {
    'zh-CN': '这台设备已被撤销：请新建设备并重新配对',
    en: 'this device was revoked: create a new device and pair it',
  });

const iso = (date: Date | null) => (date ? date.toISOString() : null);

function deviceJson(row: repo.DeviceRow): Device {
  return {
    id: row.id,
    competitionId: row.competitionId,
    kind: row.kind,
    label: row.label,
    status: row.revokedAt ? 'revoked' : row.pairedAt ? 'paired' : 'pending',
    pairingExpiresAt: iso(row.pairingExpiresAt),
    pairedAt: iso(row.pairedAt),
    revokedAt: iso(row.revokedAt),
    judge: row.judgeId ? { id: row.judgeId, name: row.judgeName ?? '' } : null,
    createdAt: row.createdAt.toISOString(),
  };
}

function pairingResponse(device: repo.DeviceRow, code: string): CreateDeviceResponse {
  return {
    device: deviceJson(device),
    pairingCode: code,
    pairingUri: pairingUri(code),
    pairingExpiresAt: iso(device.pairingExpiresAt) ?? '',
  };
}

async function loadDevice(ex: Executor, competitionId: string, deviceId: string) {
  const row = await repo.findDevice(ex, competitionId, deviceId);
  if (!row) throw deviceNotFound();
  return row;
}

/** Locks the competition's device for a change that only a device not revoked may take. */
async function lockUnrevokedDevice(tx: Executor, competitionId: string, deviceId: string) {
  const device = await repo.lockDevice(tx, competitionId, deviceId);
  if (!device) throw deviceNotFound();
  if (device.revokedAt) throw deviceRevoked();
  return device;
}

export function createDeviceService(writer: Writer, tokens: Tokens) {
  const { db } = writer;
  const issue = issuer(tokens);
  const pairingHash = (code: string) => tokens.digest('pairing-code', code);

  /** One pairing: the device waiting for the code, its token and the audit entry, in one transaction. */
  const pairOnce = (code: string) =>
    audited(writer, async (tx, audit) => {
      const device = await repo.findByPairingCode(tx, pairingHash(code));
      if (!device) {
        throw error(401, 'pairing_code_invalid', {
          'zh-CN': '配对码无效或已使用过：请向主办方索取新的配对码',
          en: 'the pairing code is unknown or was used already: ask the organizer for a new one',
        });
      }
      if (!device.valid) {
        throw error(401, 'pairing_code_expired', {
          'zh-CN': `配对码已过期（有效期 ${PAIRING_TTL_SECONDS / 60} 分钟）：请向主办方索取新的配对码`,
          en: `the pairing code expired (it is valid for ${PAIRING_TTL_SECONDS / 60} minutes): ask the organizer for a new one`,
        });
      }
      const paired = await repo.completePairing(tx, device.id);
      if (!paired) throw deviceRevoked();
      await audit(device.competitionId, {
        affects: 'noStandings',
        actor: `device:${device.id}`,
        action: 'device.paired',
        subject: `device:${device.id}`,
        detail: { kind: device.kind, label: device.label },
      });
      const claims = { sub: device.id, cid: device.competitionId, ver: paired.tokenVersion };
      const response: PairDeviceResponse = {
        ...issue(device.kind === 'display' ? { typ: 'display', ...claims } : { typ: 'tablet', ...claims }),
        device: {
          id: device.id,
          competitionId: device.competitionId,
          kind: device.kind,
          label: device.label,
        },
      };
      return { response, version: paired.tokenVersion };
    });

  return {
    async devices(competitionId: string): Promise<DevicesResponse> {
      return { devices: (await repo.devicesOf(db, competitionId)).map(deviceJson) };
    },

    /** A new device waiting to be paired; its code is returned once and only its keyed hash is kept. */
    async createDevice(
      actor: AccountPrincipal,
      competitionId: string,
      input: CreateDeviceRequest,
    ): Promise<CreateDeviceResponse> {
      const code = newPairingCode();
      return audited(writer, async (tx, audit) => {
        const id = await repo.insertDevice(
          tx,
          { competitionId, kind: input.kind, label: input.label, pairingCodeHash: pairingHash(code) },
          PAIRING_TTL_SECONDS,
        );
        await audit(competitionId, {
          affects: 'noStandings',
          actor: actorOf(actor),
          action: 'device.created',
          subject: `device:${id}`,
          detail: { kind: input.kind, label: input.label },
        });
        return pairingResponse(await loadDevice(tx, competitionId, id), code);
      });
    },

    /**
     * A fresh pairing code for a device that is not revoked (the first one expired, or the device lost its
     * token). The device's current tokens keep working until the new code is used.
     */
    async renewPairingCode(
      actor: AccountPrincipal,
      competitionId: string,
      deviceId: string,
    ): Promise<CreateDeviceResponse> {
      const code = newPairingCode();
      return audited(writer, async (tx, audit) => {
        await lockUnrevokedDevice(tx, competitionId, deviceId);
        await repo.replacePairingCode(tx, competitionId, deviceId, pairingHash(code), PAIRING_TTL_SECONDS);
        await audit(competitionId, {
          affects: 'noStandings',
          actor: actorOf(actor),
          action: 'device.pairingCodeIssued',
          subject: `device:${deviceId}`,
        });
        return pairingResponse(await loadDevice(tx, competitionId, deviceId), code);
      });
    },

    /**
     * Pairs the device waiting for this code: a display token, or a tablet token that can sign a judge in.
     * Wrong codes are limited per address (the caller's), so codes cannot be guessed in bulk.
     */
    async pair(code: string, address: string): Promise<PairDeviceResponse> {
      const pairing = await limitedPairing(db, address, () => pairOnce(code));
      // Pairing again ends whatever an earlier pairing of the device held.
      writer.changes.deviceTokensEnded({ deviceId: pairing.response.device.id, current: pairing.version });
      return pairing.response;
    },

    /** Chief judges replace judges: a revoked device's tokens (judge, tablet, display) stop working at once. */
    async revokeDevice(actor: AccountPrincipal, competitionId: string, deviceId: string): Promise<Device> {
      const revoked = await audited(writer, async (tx, audit) => {
        await lockUnrevokedDevice(tx, competitionId, deviceId);
        const before = await loadDevice(tx, competitionId, deviceId);
        await repo.revokeDevice(tx, competitionId, deviceId);
        await audit(competitionId, {
          affects: 'noStandings',
          actor: actorOf(actor),
          action: 'device.revoked',
          subject: `device:${deviceId}`,
          detail: { kind: before.kind, label: before.label, judgeId: before.judgeId },
        });
        return deviceJson(await loadDevice(tx, competitionId, deviceId));
      });
      writer.changes.deviceTokensEnded({ deviceId: deviceId, current: null });
      return revoked;
    },
  };
}
