import { useQuery } from '@tanstack/react-query';
import { toolsApi } from '../common/api/endpoints';
import { useI18n } from '../common/i18n';
import { StandingsTable } from '../common/ui/StandingsTable';
import { Status } from '../common/ui/Status';

/** The demo final: standings computed live by the scoring engine from the judges' marks. */
export function DemoResults() {
  const { t, pick } = useI18n();
  const query = useQuery({
    queryKey: ['demo'],
    queryFn: async ({ signal }) => {
      const demo = await toolsApi.demoResults({ signal });
      const scheme = await toolsApi.template(demo.demo.scheme, { signal });
      return { demo, scheme };
    },
  });

  if (!query.data) return <Status query={query} />;
  const { demo, scheme } = query.data;
  return (
    <section className="panel">
      <h2>{t('demo.title', { title: pick(demo.demo.title, demo.demo.titleEn) })}</h2>
      <p>{t('demo.intro')}</p>
      <p className="muted small">
        {t('demo.scheme', { scheme: pick(scheme.name, scheme.nameEn) })}
        <br />
        {t('demo.source', { source: demo.demo.source })}
      </p>
      <p className="hint">{t('demo.hint')}</p>
      {demo.events.map((event) => (
        <StandingsTable key={event.event} event={event} scheme={scheme} />
      ))}
    </section>
  );
}
