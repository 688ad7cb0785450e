import { useTranslation } from 'react-i18next';
import { Status } from '../common/ui/Status';
import { useChosenEvent } from './data';

/** The event a page is about; remembered in the URL. */
export function EventPicker() {
  const { t } = useTranslation('organizer');
  const { events, chosen, choose } = useChosenEvent();
  if (!events.data) return <Status query={events} />;
  if (events.data.length === 0) return <p className="organizer-card muted">{t('events.noneYet')}</p>;
  return (
    <label className="event-picker no-print">
      <span>{t('events.pick')}</span>
      <select value={chosen?.id ?? ''} onChange={(e) => choose(e.target.value)} data-testid="event-picker">
        {events.data.map((e) => (
          <option key={e.id} value={e.id}>
            {e.name}
          </option>
        ))}
      </select>
    </label>
  );
}
