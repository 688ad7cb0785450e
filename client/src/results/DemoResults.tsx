import { useI18n } from '../i18n';
import { api, type DemoResults as Demo, type Scheme } from '../lib/api';
import { Status } from '../lib/Status';
import { useResource } from '../lib/useResource';
import { StandingsTable } from './StandingsTable';

/** The demo final: standings computed live by the scoring engine from the judges' marks. */
export function DemoResults() {
  const { t, pick } = useI18n();
  const resource = useResource<{ demo: Demo; scheme: Scheme }>('demo', async (signal) => {
    const demo = await api.demoResults({ signal });
    const scheme = await api.template(demo.demo.scheme, { signal });
    return { demo, scheme };
  });

  if (resource.state !== 'ready') return <Status resource={resource} />;
  const { demo, scheme } = resource.data;
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
