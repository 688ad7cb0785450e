import { type ReactNode, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../common/ui/LanguageSwitch';
import { errorText } from './errors';

/** An action the judge started (pair, sign in, send a request): busy while it runs, its failure in words. */
export function useAction() {
  const { t } = useTranslation('judge');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async (action: () => Promise<void>) => {
      setBusy(true);
      setError(null);
      try {
        await action();
      } catch (e) {
        setError(errorText(e, t));
      } finally {
        setBusy(false);
      }
    },
    [t],
  );
  return { busy, error, setError, run };
}

export function ErrorLine({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p className="status error" role="alert">
      {error}
    </p>
  );
}

/** A screen of the tablet before marking (pairing, sign-in): one card in the middle. */
export function CardScreen({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="judge-center">
      <div className="judge-card">
        <div className="card-head">
          <h1>{title}</h1>
          <LanguageSwitch />
        </div>
        {children}
      </div>
    </main>
  );
}
