import type { Scheme } from '@jiangxin/shared';
import type { ComponentJson, Standing } from '../api/types';
import { useI18n } from '../i18n';
import { marksInJudgeOrder, shown } from './marks';
import { TableHead } from './TableHead';

type AttemptJson = NonNullable<ComponentJson['attempts']>[number];
type AspectJson = NonNullable<ComponentJson['aspects']>[number];

interface Props {
  standing: Standing;
  scheme: Scheme | null;
}

/** How a competitor's total was made: each component, attempt and aspect, with every judge's mark. */
export function StandingDetail({ standing, scheme }: Props) {
  const { t, pick } = useI18n();
  const componentName = (id: string) => {
    const c = scheme?.components.find((x) => x.id === id);
    return c ? pick(c.name, c.nameEn) : id;
  };
  return (
    <div className="detail" data-testid="standing-detail">
      {standing.disqualifiedBy && (
        <p className="warning">{t('detail.disqualified', { by: standing.disqualifiedBy })}</p>
      )}
      {standing.components.map((component) => (
        <section key={component.component} className="component">
          <h4>
            {t('detail.componentScore', { name: componentName(component.component), score: component.score })}
          </h4>
          {component.attempts ? (
            <AttemptsTable attempts={component.attempts} scheme={scheme} />
          ) : (
            <AspectsTable aspects={component.aspects ?? []} scheme={scheme} />
          )}
        </section>
      ))}
      {Number(standing.deductions) !== 0 && <p>{t('detail.deductions', { points: standing.deductions })}</p>}
      <p className="legend">{t('detail.legend')}</p>
    </div>
  );
}

function useAspectName(scheme: Scheme | null) {
  const { pick } = useI18n();
  return (id: string) => {
    const a = scheme?.components.flatMap((c) => c.aspects).find((x) => x.id === id);
    return a ? pick(a.name, a.nameEn) : id;
  };
}

function Marks({ aspect }: { aspect: AspectJson }) {
  const { t } = useI18n();
  const marks = marksInJudgeOrder(aspect.used, aspect.dropped);
  if (marks.length === 0) return <span className="muted">–</span>;
  return (
    <span className="marks">
      {marks.map((m) =>
        m.dropped ? (
          <s key={m.judge} className="mark dropped" title={`${m.judge}: ${m.mark} (${t('detail.dropped')})`}>
            {m.mark}
          </s>
        ) : (
          <span key={m.judge} className="mark" title={`${m.judge}: ${m.mark}`}>
            {m.mark}
          </span>
        ),
      )}
    </span>
  );
}

function AttemptsTable({ attempts, scheme }: { attempts: AttemptJson[]; scheme: Scheme | null }) {
  const { t } = useI18n();
  const aspectName = useAspectName(scheme);
  const several = attempts.some((a) => a.aspects.length > 1);
  const withDifficulty = attempts.some((a) => a.difficulty !== null);
  return (
    <div className="scroll">
      <table className="attempts">
        <TableHead
          columns={[
            { label: t('detail.attempt'), className: 'num' },
            withDifficulty && { label: t('detail.difficulty'), className: 'num' },
            { label: t('detail.awards') },
            { label: t('detail.points'), className: 'num' },
          ]}
        />
        <tbody>
          {attempts.map((attempt) => (
            <tr key={attempt.attempt} className={attempt.counted ? undefined : 'not-counted'}>
              <td className="num">{attempt.attempt}</td>
              {withDifficulty && <td className="num">{shown(attempt.difficulty)}</td>}
              <td>
                {attempt.aspects.map((aspect) => (
                  <div key={aspect.aspect} className="aspect-marks">
                    {several && <span className="aspect-name">{aspectName(aspect.aspect)}</span>}
                    <Marks aspect={aspect} />
                  </div>
                ))}
              </td>
              <td className="num points">
                {shown(attempt.points)}
                {!attempt.counted && <span className="notes">{t('detail.notCounted')}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AspectsTable({ aspects, scheme }: { aspects: AspectJson[]; scheme: Scheme | null }) {
  const { t } = useI18n();
  const aspectName = useAspectName(scheme);
  return (
    <div className="scroll">
      <table className="attempts">
        <TableHead
          columns={[
            { label: t('detail.aspect') },
            { label: t('detail.awards') },
            { label: t('detail.points'), className: 'num' },
          ]}
        />
        <tbody>
          {aspects.map((aspect) => (
            <tr key={aspect.aspect}>
              <td>{aspectName(aspect.aspect)}</td>
              <td>
                <Marks aspect={aspect} />
              </td>
              <td className="num points">{shown(aspect.points)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
