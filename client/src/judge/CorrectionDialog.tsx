import type { Aspect } from '@jiangxin/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { marksApi } from '../common/api/endpoints';
import { useI18n } from '../common/i18n';
import { MarkInput } from './MarkInput';
import { inputSpec, valueProblem } from './marking';
import { ErrorLine, useAction } from './ui';

/** After sign-off a changed mark is a correction request with a reason, for the chief judge to decide. */
export function CorrectionDialog(props: {
  token: string;
  competitionId: string;
  roundId: string;
  workstation: string;
  item: string;
  label: string;
  aspect: Aspect | undefined;
  initial: string | null;
  onClose: (sent: boolean) => void;
}) {
  const { t } = useTranslation('judge');
  const { locale } = useI18n();
  const [value, setValue] = useState<string | null>(props.initial);
  const [reason, setReason] = useState('');
  const { busy, error, setError, run } = useAction();

  const send = async () => {
    const problem = value === null ? null : props.aspect && valueProblem(props.aspect, value);
    if (value === null || problem) return setError(problem ? problem[locale] : t('submit.nothing'));
    await run(async () => {
      await marksApi.requestJudgeCorrection(
        props.competitionId,
        props.roundId,
        { workstation: props.workstation, item: props.item, value, reason },
        { token: props.token },
      );
      props.onClose(true);
    });
  };

  return (
    <div className="dialog-backdrop">
      <div className="judge-card wide" role="dialog" aria-modal="true" aria-labelledby="correction-title">
        <h2 id="correction-title">{t('correction.title', { code: props.workstation, item: props.label })}</h2>
        <p className="muted">{t('correction.value')}</p>
        {props.aspect && (
          <MarkInput
            spec={inputSpec(props.aspect)}
            value={value}
            onChange={setValue}
            name={t('correction.value')}
          />
        )}
        <label className="field">
          <span>{t('correction.reason')}</span>
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={3} maxLength={2000} />
        </label>
        <ErrorLine error={error} />
        <div className="dialog-actions">
          <button type="button" onClick={() => props.onClose(false)}>
            {t('correction.cancel')}
          </button>
          <button
            type="button"
            className="primary"
            disabled={busy || reason.trim() === ''}
            onClick={() => void send()}
          >
            {t('correction.submit')}
          </button>
        </div>
      </div>
    </div>
  );
}
