import { type CreateDeviceResponse, type DeviceKind, formatPairingCode } from '@jiangxin/shared';
import { createContext, type FormEvent, type ReactNode, useContext, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { devicesApi } from '../common/api/endpoints';
import { useI18n } from '../common/i18n';
import { QrCode } from '../common/ui/QrCode';
import { Status } from '../common/ui/Status';
import { useCompetitionId, useStaffMutation, useStaffQuery } from './data';
import { Problem } from './Shell';
import { clockTime } from './time';

/**
 * The pairing codes issued in this console (a code is shown once: only its hash is kept), so the sheet
 * survives going to another page and back.
 */
const PairingSheet = createContext<{
  codes: CreateDeviceResponse[];
  add: (issued: CreateDeviceResponse) => void;
}>({ codes: [], add: () => {} });

export function PairingSheetProvider({ children }: { children: ReactNode }) {
  const [codes, setCodes] = useState<CreateDeviceResponse[]>([]);
  const add = (issued: CreateDeviceResponse) =>
    setCodes((held) => [...held.filter((c) => c.device.id !== issued.device.id), issued]);
  return <PairingSheet.Provider value={{ codes, add }}>{children}</PairingSheet.Provider>;
}

/** Tablets and screens: register them, issue pairing codes, print the sheet of QR codes, revoke. */
export function DevicesPage() {
  const { t } = useTranslation('organizer');
  const { locale } = useI18n();
  const competitionId = useCompetitionId();
  const { codes, add } = useContext(PairingSheet);
  const devices = useStaffQuery(
    ['devices', competitionId],
    (o) => devicesApi.list(competitionId, o),
    true,
    5000,
  );
  const [kind, setKind] = useState<DeviceKind>('judge');
  const [label, setLabel] = useState('');
  const [count, setCount] = useState(1);
  const refresh = [['devices', competitionId]];
  const create = useStaffMutation(async (labels: string[], o) => {
    for (const one of labels) add(await devicesApi.create(competitionId, { kind, label: one }, o));
  }, refresh);
  const renew = useStaffMutation(
    async (deviceId: string, o) => add(await devicesApi.renewCode(competitionId, deviceId, o)),
    refresh,
  );
  const revoke = useStaffMutation(
    (deviceId: string, o) => devicesApi.revoke(competitionId, deviceId, o),
    refresh,
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const base = label.trim();
    create.mutate(count > 1 ? Array.from({ length: count }, (_, i) => `${base} ${i + 1}`) : [base], {
      onSuccess: () => setLabel(''),
    });
  };
  const sheet = codes.filter((c) => c.device.competitionId === competitionId);
  const live = new Map(devices.data?.devices.map((d) => [d.id, d]));
  return (
    <>
      <form className="organizer-card form-row no-print" onSubmit={submit}>
        <label className="field">
          <span>{t('devices.kind')}</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as DeviceKind)} name="kind">
            <option value="judge">{t('devices.judge')}</option>
            <option value="display">{t('devices.display')}</option>
          </select>
        </label>
        <label className="field">
          <span>{t('devices.label')}</span>
          <input
            value={label}
            onChange={(e) => setLabel(e.target.value)}
            name="label"
            required
            placeholder={t('devices.labelHint')}
          />
        </label>
        <label className="field narrow">
          <span>{t('devices.count')}</span>
          <input
            type="number"
            min={1}
            max={50}
            value={count}
            onChange={(e) => setCount(Math.max(1, Math.min(50, Number(e.target.value) || 1)))}
            name="count"
          />
        </label>
        <button type="submit" className="button primary" disabled={create.isPending || label.trim() === ''}>
          {t('devices.add')}
        </button>
        <Problem error={create.error ?? renew.error ?? revoke.error} />
      </form>
      <section className="organizer-card no-print">
        <h2>{t('devices.title')}</h2>
        <Status query={devices} />
        {devices.data && (
          <table className="org-table" data-testid="devices">
            <thead>
              <tr>
                <th>{t('devices.label')}</th>
                <th>{t('devices.kind')}</th>
                <th>{t('devices.status')}</th>
                <th>{t('devices.signedIn')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {devices.data.devices.map((d) => (
                <tr key={d.id} data-device={d.label} data-status={d.status}>
                  <td>{d.label}</td>
                  <td>{t(`devices.${d.kind}`)}</td>
                  <td>
                    <span className={`chip ${d.status}`}>{t(`devices.status.${d.status}`)}</span>
                  </td>
                  <td>{d.judge?.name ?? ''}</td>
                  <td className="actions-cell">
                    {d.status !== 'revoked' && (
                      <>
                        <button type="button" className="link" onClick={() => renew.mutate(d.id)}>
                          {d.status === 'paired' ? t('devices.rePair') : t('devices.newCode')}
                        </button>
                        <button type="button" className="link danger" onClick={() => revoke.mutate(d.id)}>
                          {t('devices.revoke')}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="organizer-card pair-sheet" data-testid="qr-sheet">
        <div className="pair-sheet-head">
          <h2>{t('devices.sheet')}</h2>
          <button
            type="button"
            className="button no-print"
            onClick={() => window.print()}
            disabled={sheet.length === 0}
          >
            {t('devices.print')}
          </button>
        </div>
        <p className="muted small">{t('devices.sheetHint')}</p>
        {sheet.length === 0 && <p className="muted">{t('devices.sheetEmpty')}</p>}
        <ul className="pair-cards">
          {sheet.map((issued) => {
            const paired = live.get(issued.device.id)?.status === 'paired';
            return (
              <li
                key={issued.device.id}
                className={`pair-card${paired ? ' used' : ''}`}
                data-device={issued.device.label}
              >
                <QrCode
                  text={issued.pairingUri}
                  label={t('devices.qrLabel', { label: issued.device.label })}
                />
                <div>
                  <strong>{issued.device.label}</strong>
                  <span className="muted small">{t(`devices.${issued.device.kind}`)}</span>
                  <span className="pairing-code" data-testid="pairing-code">
                    {formatPairingCode(issued.pairingCode)}
                  </span>
                  <span className="muted small">
                    {paired
                      ? t('devices.used')
                      : t('devices.expires', {
                          time: clockTime(issued.pairingExpiresAt, locale),
                        })}
                  </span>
                </div>
              </li>
            );
          })}
        </ul>
      </section>
    </>
  );
}
