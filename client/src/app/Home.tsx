import { ClipboardCheck, FlaskConical, LayoutGrid, Monitor, Smartphone, Tablet } from 'lucide-react';
import { Link, Navigate } from 'react-router';
import { useI18n } from '../common/i18n';
import { displaySession } from '../display/session';
import { judgeSession } from '../judge/session';

/**
 * `/` leads each kind of user to theirs; a paired tablet goes straight back to the judge's screen, a paired big
 * screen back to /screen.
 */
export function Home() {
  const { t } = useI18n();
  if (judgeSession.get()) return <Navigate to="/judge" replace />;
  if (displaySession.get()) return <Navigate to="/screen" replace />;
  const surfaces = [
    { to: '/judge', icon: <Tablet aria-hidden />, title: t('home.judge'), text: t('home.judgeText') },
    { to: '/chief', icon: <ClipboardCheck aria-hidden />, title: t('home.chief'), text: t('home.chiefText') },
    {
      to: '/organizer',
      icon: <LayoutGrid aria-hidden />,
      title: t('home.organizer'),
      text: t('home.organizerText'),
    },
    { to: '/screen', icon: <Monitor aria-hidden />, title: t('home.screen'), text: t('home.screenText') },
    { to: '/live', icon: <Smartphone aria-hidden />, title: t('home.live'), text: t('home.liveText') },
    { to: '/demo', icon: <FlaskConical aria-hidden />, title: t('home.demo'), text: t('home.demoText') },
  ];
  return (
    <section className="panel">
      <h2>{t('home.title')}</h2>
      <ul className="surfaces">
        {surfaces.map((s) => (
          <li key={s.to}>
            <Link to={s.to} className="surface">
              {s.icon}
              <strong>{s.title}</strong>
              <span className="muted small">{s.text}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
