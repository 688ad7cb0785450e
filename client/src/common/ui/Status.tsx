import type { UseQueryResult } from '@tanstack/react-query';
import { useI18n } from '../i18n';

/** The loading or failed state of a query; nothing once it has data. */
export function Status({ query }: { query: Pick<UseQueryResult<unknown>, 'status' | 'error' | 'refetch'> }) {
  const { t } = useI18n();
  if (query.status === 'pending')
    return (
      <p className="status" role="status">
        {t('common.loading')}
      </p>
    );
  if (query.status === 'error')
    return (
      <p className="status error" role="alert">
        {t('common.failed', { message: query.error?.message ?? '' })}{' '}
        <button type="button" className="link" onClick={() => void query.refetch()}>
          {t('common.retry')}
        </button>
      </p>
    );
  return null;
}
