import { Minus, Plus } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatClock, type MarkInputSpec, parseClock } from './marking';

interface Props {
  spec: MarkInputSpec;
  /** The value chosen so far (a decimal string), or null. */
  value: string | null;
  onChange: (value: string | null) => void;
  disabled?: boolean;
  /** The aspect's name, for labels and the veto's confirmation. */
  name: string;
  /** The mark already given (in force or on its way), marked on the pad so the judge sees it. */
  current?: string | null;
}

/** One mark, entered the way the scheme asks: buttons, a keypad, mm:ss, a fault counter, yes/no or a veto. */
export function MarkInput({ spec, value, onChange, disabled, name, current }: Props) {
  const { t } = useTranslation('judge');
  switch (spec.kind) {
    case 'pad':
      return (
        <div className="mark-pad" role="radiogroup" aria-label={name}>
          {spec.values.map((v) => (
            // biome-ignore lint/a11y/useSemanticElements: a pad of large touch buttons, announced as radios.
            <button
              key={v}
              type="button"
              role="radio"
              aria-checked={value === v}
              className={value === v ? 'chosen' : current === v ? 'current' : undefined}
              disabled={disabled}
              onClick={() => onChange(value === v ? null : v)}
            >
              {v}
              {spec.levels && <small>{t(`level.${v}` as 'level.0')}</small>}
            </button>
          ))}
        </div>
      );
    case 'keypad':
      return (
        <label className="field inline">
          <span>
            {t('item.keypad')}
            {spec.unit ? ` (${spec.unit})` : ''}
          </span>
          <input
            inputMode="decimal"
            value={value ?? ''}
            disabled={disabled}
            onChange={(e) => onChange(e.target.value.trim() === '' ? null : e.target.value.trim())}
          />
        </label>
      );
    case 'clock':
      return <ClockInput value={value} onChange={onChange} disabled={disabled} name={name} />;
    case 'counter': {
      const count = Number(value ?? spec.min);
      const step = Number(spec.step);
      const max = spec.max === undefined ? Number.POSITIVE_INFINITY : Number(spec.max);
      const set = (n: number) => onChange(String(Math.min(max, Math.max(Number(spec.min), n))));
      return (
        <div className="counter">
          <button
            type="button"
            aria-label={`${name} −`}
            disabled={disabled || count <= Number(spec.min)}
            onClick={() => set(count - step)}
          >
            <Minus aria-hidden />
          </button>
          <output aria-label={name}>
            {value ?? spec.min}
            {spec.unit ? ` ${spec.unit}` : ''}
          </output>
          <button
            type="button"
            aria-label={`${name} +`}
            disabled={disabled || count >= max}
            onClick={() => set(count + step)}
          >
            <Plus aria-hidden />
          </button>
          {value === null && (
            <button type="button" className="none" disabled={disabled} onClick={() => onChange(spec.min)}>
              {t('item.counterNone', { min: spec.min })}
            </button>
          )}
          {spec.per && <span className="muted small">{t('item.per', { per: spec.per })}</span>}
        </div>
      );
    }
    case 'yesNo':
      return (
        <div className="mark-pad two" role="radiogroup" aria-label={name}>
          {(['1', '0'] as const).map((v) => (
            // biome-ignore lint/a11y/useSemanticElements: large touch buttons, announced as radios.
            <button
              key={v}
              type="button"
              role="radio"
              aria-checked={value === v}
              className={value === v ? 'chosen' : undefined}
              disabled={disabled}
              onClick={() => onChange(v)}
            >
              {v === '1' ? t('item.yes') : t('item.no')}
            </button>
          ))}
        </div>
      );
    case 'veto':
      return <VetoInput value={value} onChange={onChange} disabled={disabled} name={name} />;
  }
}

function ClockInput({ value, onChange, disabled, name }: Omit<Props, 'spec'>) {
  const { t } = useTranslation('judge');
  const [text, setText] = useState(value ? formatClock(value) : '');
  return (
    <label className="field inline">
      <span>{t('item.clockHint')}</span>
      <input
        aria-label={name}
        inputMode="numeric"
        placeholder="m:ss"
        value={text}
        disabled={disabled}
        onChange={(e) => {
          setText(e.target.value);
          onChange(e.target.value.trim() === '' ? null : (parseClock(e.target.value) ?? e.target.value));
        }}
      />
    </label>
  );
}

function VetoInput({ value, onChange, disabled, name }: Omit<Props, 'spec'>) {
  const { t } = useTranslation('judge');
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="veto">
      <div className="mark-pad two">
        <button
          type="button"
          className={value === '1' ? 'chosen danger' : 'danger'}
          disabled={disabled}
          onClick={() => setConfirming(true)}
        >
          {t('item.veto')}
        </button>
        <button
          type="button"
          className={value === '0' ? 'chosen' : undefined}
          disabled={disabled}
          onClick={() => onChange('0')}
        >
          {t('item.vetoClear')}
        </button>
      </div>
      {confirming && (
        <div className="veto-confirm" role="alertdialog" aria-label={name}>
          <p>{t('item.vetoConfirm', { name })}</p>
          <button
            type="button"
            className="danger"
            onClick={() => {
              onChange('1');
              setConfirming(false);
            }}
          >
            {t('confirm.ok')}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            {t('confirm.cancel')}
          </button>
        </div>
      )}
    </div>
  );
}
