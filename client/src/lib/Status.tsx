import { useI18n } from '../i18n';
import type { Resource } from './useResource';

/** The loading or failed state of a resource; nothing once it is ready. */
export function Status({ resource }: { resource: Resource<unknown> }) {
  const { t } = useI18n();
  if (resource.state === 'loading')
    return (
      <p className="status" role="status">
        {t('common.loading')}
      </p>
    );
  if (resource.state === 'failed')
    return (
      <p className="status error" role="alert">
        {t('common.failed', { message: resource.error.message })}{' '}
        <button type="button" className="link" onClick={resource.retry}>
          {t('common.retry')}
        </button>
      </p>
    );
  return null;
}
