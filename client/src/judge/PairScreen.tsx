import { normalizePairingCode } from '@jiangxin/shared';
import { QrCode } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { authApi } from '../common/api/endpoints';
import { pairedSession } from '../common/session/session';
import { judgeSession } from './session';
import { CardScreen, ErrorLine, useAction } from './ui';

/** The BarcodeDetector of browsers that have one (Chromium on Android and ChromeOS): typing always works. */
interface Detector {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
const detectorClass = () =>
  (globalThis as { BarcodeDetector?: new (o: { formats: string[] }) => Detector }).BarcodeDetector;

/** Pairing a tablet: the code typed, or the QR code scanned with the camera where the browser can. */
export function PairScreen() {
  const { t } = useTranslation('judge');
  const [code, setCode] = useState('');
  const { busy, error, setError, run } = useAction();
  const [scanning, setScanning] = useState(false);

  const pair = (input: string) =>
    run(async () => {
      const paired = pairedSession(await authApi.pair({ code: input }), 'judge');
      if (!paired) {
        setError(t('pair.display'));
        return;
      }
      judgeSession.set({ ...paired, data: { ...paired.data, judge: null } });
    });

  return (
    <CardScreen title={t('pair.title')}>
      <p>{t('pair.intro')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void pair(code);
        }}
      >
        <label className="field">
          <span>{t('pair.code')}</span>
          <input
            className="code-input"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            placeholder="ABCD-EFGH"
          />
        </label>
        <button
          type="submit"
          className="primary wide"
          disabled={busy || normalizePairingCode(code).length < 8}
        >
          {busy ? t('pair.working') : t('pair.submit')}
        </button>
      </form>
      {detectorClass() ? (
        <button type="button" className="secondary wide" onClick={() => setScanning((s) => !s)}>
          <QrCode aria-hidden /> {scanning ? t('pair.scanStop') : t('pair.scan')}
        </button>
      ) : (
        <p className="muted small">{t('pair.scanUnavailable')}</p>
      )}
      {scanning && <Scanner onCode={(text) => void pair(text)} />}
      <ErrorLine error={error} />
    </CardScreen>
  );
}

function Scanner({ onCode }: { onCode: (text: string) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const Detector = detectorClass();
    if (!Detector) return;
    const detector = new Detector({ formats: ['qr_code'] });
    let stream: MediaStream | null = null;
    let stopped = false;
    void (async () => {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
      if (!video.current || stopped) return;
      video.current.srcObject = stream;
      await video.current.play();
      while (!stopped) {
        const found = await detector.detect(video.current).catch(() => []);
        const text = found[0]?.rawValue;
        if (text) return onCode(text);
        await new Promise((r) => setTimeout(r, 250));
      }
    })().catch(() => undefined);
    return () => {
      stopped = true;
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, [onCode]);
  return <video ref={video} className="scanner" muted playsInline />;
}
