import type { RoundView } from '@jiangxin/shared';
import { useTranslation } from 'react-i18next';

/** Where a round stands: marking (open), signed off (closed, locked), decrypted, published. */
export type RoundPhase = 'marking' | 'signedOff' | 'decrypted' | 'published';

export function roundPhase(
  round: Pick<RoundView, 'signedOffAt' | 'decryptedAt' | 'publishedAt'>,
): RoundPhase {
  if (round.publishedAt) return 'published';
  if (round.decryptedAt) return 'decrypted';
  if (round.signedOffAt) return 'signedOff';
  return 'marking';
}

export function RoundState({
  round,
}: {
  round: Pick<RoundView, 'signedOffAt' | 'decryptedAt' | 'publishedAt'>;
}) {
  const { t } = useTranslation('organizer');
  const phase = roundPhase(round);
  return (
    <span className={`chip ${phase}`} data-phase={phase}>
      {t(`phase.${phase}`)}
    </span>
  );
}
