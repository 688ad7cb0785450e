import type { RoundView } from '@jiangxin/shared';
import { useTranslation } from 'react-i18next';

/** Where a round stands: marking (open), marking closed (paused), signed off (locked), decrypted, published. */
export type RoundPhase = 'marking' | 'closed' | 'signedOff' | 'decrypted' | 'published';

type Stamps = Pick<RoundView, 'signedOffAt' | 'decryptedAt' | 'publishedAt'> &
  Partial<Pick<RoundView, 'markingClosedAt'>>;

export function roundPhase(round: Stamps): RoundPhase {
  if (round.publishedAt) return 'published';
  if (round.decryptedAt) return 'decrypted';
  if (round.signedOffAt) return 'signedOff';
  if (round.markingClosedAt) return 'closed';
  return 'marking';
}

export function RoundState({ round }: { round: Stamps }) {
  const { t } = useTranslation('organizer');
  const phase = roundPhase(round);
  return (
    <span className={`chip ${phase}`} data-phase={phase}>
      {t(`phase.${phase}`)}
    </span>
  );
}
