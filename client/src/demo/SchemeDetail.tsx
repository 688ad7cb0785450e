import type { Scheme } from '@jiangxin/shared';
import { useI18n } from '../common/i18n';

type Component = Scheme['components'][number];
type Aspect = Component['aspects'][number];

/** A scheme in words: its components with their aspects, its rounds and how ties are broken. */
export function SchemeDetail({ scheme }: { scheme: Scheme }) {
  const { t, pick } = useI18n();
  return (
    <article className="scheme" data-testid="scheme-detail">
      <h3>{pick(scheme.name, scheme.nameEn)}</h3>
      {scheme.source && <p className="muted small">{t('templates.source', { source: scheme.source })}</p>}
      <h4>{t('templates.components')}</h4>
      <ol className="components">
        {scheme.components.map((component) => (
          <ComponentItem key={component.id} component={component} />
        ))}
      </ol>
      <h4>{t('templates.rounds')}</h4>
      <ul className="plain">
        {scheme.rounds.map((round) => {
          const notes = [
            round.advance !== undefined ? t('templates.advance', { count: round.advance }) : null,
            round.carryOver.length > 0
              ? t('templates.carryOver', { rounds: round.carryOver.join(', ') })
              : null,
          ].filter((n) => n !== null);
          return (
            <li key={round.id}>
              <strong>{round.name ?? round.id}</strong>
              {round.name && <code> {round.id}</code>}
              {notes.length > 0 && <span className="muted"> — {notes.join('; ')}</span>}
            </li>
          );
        })}
      </ul>
      <p className="muted small">
        {t('templates.precision', { count: scheme.precision })};{' '}
        {scheme.ranking.tieBreaks.length > 0
          ? t('templates.tieBreaks', {
              list: scheme.ranking.tieBreaks.map((b) => `${b.by} (${b.prefer})`).join(' → '),
            })
          : t('templates.noTieBreaks')}
      </p>
    </article>
  );
}

function ComponentItem({ component }: { component: Component }) {
  const { t, pick } = useI18n();
  const notes = [
    component.weight !== undefined ? t('templates.weight', { weight: component.weight }) : null,
    component.max !== undefined ? t('templates.max', { max: component.max }) : null,
  ].filter((n) => n !== null);
  const attempts = component.attempts;
  return (
    <li>
      <strong>{pick(component.name, component.nameEn)}</strong> <code>{component.id}</code>
      {notes.length > 0 && <span className="muted"> — {notes.join('; ')}</span>}
      {attempts && (
        <p className="small">
          {t('templates.attempts', {
            count: attempts.count,
            label: attempts.label,
            combine: t(attempts.combine === 'best' ? 'templates.combine.best' : 'templates.combine.sum'),
          })}
          {attempts.difficulty && `; ${t('templates.difficulty')}`}
        </p>
      )}
      <ul className="aspects">
        {component.aspects.map((aspect) => (
          <li key={aspect.id}>
            <span className={`kind kind-${aspect.kind}`}>{t(`kind.${aspect.kind}`)}</span>{' '}
            <strong>{pick(aspect.name, aspect.nameEn)}</strong> <code>{aspect.id}</code>
            <span className="muted small"> — {describeAspect(aspect, t)}</span>
          </li>
        ))}
      </ul>
    </li>
  );
}

function describeAspect(aspect: Aspect, t: ReturnType<typeof useI18n>['t']): string {
  switch (aspect.kind) {
    case 'judgement': {
      const { aggregation: agg } = aspect;
      return [
        t('aspect.panel', { count: aspect.panel }),
        t('aspect.range', { min: aspect.range.min, max: aspect.range.max, step: aspect.step }),
        agg.dropHighest + agg.dropLowest > 0
          ? t('aspect.drop', { high: agg.dropHighest, low: agg.dropLowest })
          : null,
        t(`aspect.method.${agg.method}`),
      ]
        .filter((p) => p !== null)
        .join('; ');
    }
    case 'measurement':
      return [aspect.unit, t('aspect.max', { max: aspect.max })].filter(Boolean).join('; ');
    case 'deduction':
      return [
        aspect.per !== undefined ? t('aspect.per', { per: aspect.per }) : null,
        aspect.cap !== undefined ? t('aspect.cap', { cap: aspect.cap }) : null,
        aspect.unit ?? null,
      ]
        .filter((p) => p !== null)
        .join('; ');
    case 'veto':
      return t(aspect.effect === 'disqualify' ? 'aspect.veto.disqualify' : 'aspect.veto.zero');
  }
}
