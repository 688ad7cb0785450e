import { useCallback, useEffect, useState } from 'react';

export type Resource<T> =
  | { state: 'loading' }
  | { state: 'failed'; error: Error; retry: () => void }
  | { state: 'ready'; data: T };

/** Loads data when `key` changes (aborting the previous load); `retry` loads again. */
export function useResource<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Resource<T> {
  const [attempt, setAttempt] = useState(0);
  const [resource, setResource] = useState<Resource<T>>({ state: 'loading' });
  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    setResource({ state: 'loading' });
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setResource({ state: 'ready', data });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setResource({
          state: 'failed',
          error: error instanceof Error ? error : new Error(String(error)),
          retry,
        });
      },
    );
    return () => controller.abort();
  }, [key, attempt, retry]);

  return resource;
}
