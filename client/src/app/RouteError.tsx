import { isRouteErrorResponse, useRouteError } from 'react-router';
import { useI18n } from '../common/i18n';

/** What a surface that failed to load or crashed shows, instead of a blank page. */
export function RouteError() {
  const error = useRouteError();
  const { t } = useI18n();
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : String(error);
  return (
    <div className="app">
      <p className="status error" role="alert">
        {t('common.failed', { message })}{' '}
        <button type="button" className="link" onClick={() => window.location.reload()}>
          {t('common.retry')}
        </button>
      </p>
    </div>
  );
}

/** While a surface's chunk loads. */
export function Loading() {
  return (
    <p className="status" role="status">
      …
    </p>
  );
}
