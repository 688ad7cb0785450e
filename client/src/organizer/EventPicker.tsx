import type { RoundView } from '@jiangxin/shared';
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

/** A round of the chosen event, as a labelled select; `everyRound` adds an empty choice meaning all of them. */
export function RoundPicker(props: {
  label: string;
  rounds: readonly Pick<RoundView, 'id' | 'key' | 'name'>[];
  value: string;
  onChange: (roundId: string) => void;
  name?: string;
  everyRound?: string;
}) {
  return (
    <label className="field">
      <span>{props.label}</span>
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)} name={props.name}>
        {props.everyRound !== undefined && <option value="">{props.everyRound}</option>}
        {props.rounds.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name ?? r.key}
          </option>
        ))}
      </select>
    </label>
  );
}
