import { Delete } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A PIN typed on large buttons (4 to 8 digits); the digits are never shown. */
export function PinPad({ onSubmit, busy }: { onSubmit: (pin: string) => void; busy: boolean }) {
  const { t } = useTranslation('judge');
  const [pin, setPin] = useState('');
  const press = (digit: string) => setPin((held) => (held.length < 8 ? held + digit : held));
  return (
    <form
      className="pin-pad"
      onSubmit={(e) => {
        e.preventDefault();
        if (pin.length >= 4) onSubmit(pin);
        setPin('');
      }}
    >
      <output className="pin-dots" aria-live="polite" aria-label="PIN">
        {pin.length === 0 ? '\u00a0' : '●'.repeat(pin.length)}
      </output>
      <div className="pin-keys">
        {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => (
          <button key={d} type="button" aria-label={t('pin.digit', { digit: d })} onClick={() => press(d)}>
            {d}
          </button>
        ))}
        <button type="button" onClick={() => setPin('')}>
          {t('pin.clear')}
        </button>
        <button type="button" aria-label={t('pin.digit', { digit: '0' })} onClick={() => press('0')}>
          0
        </button>
        <button
          type="button"
          aria-label={t('pin.delete')}
          onClick={() => setPin((held) => held.slice(0, -1))}
        >
          <Delete aria-hidden />
        </button>
      </div>
      <button type="submit" className="primary wide" disabled={busy || pin.length < 4}>
        {t('pin.submit')}
      </button>
    </form>
  );
}
