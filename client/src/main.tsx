import './styles.css';
import { registerSW } from 'virtual:pwa-register';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { router } from './app/router';
import './common/i18n';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

// Server state: refetched when a window regains focus; a failed read is retried twice, never a write.
const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 2, staleTime: 5_000 }, mutations: { retry: false } },
});

// The offline shell: after the first visit the app loads with the network off (Workbox precache). Not on the
// spectators' page: a phone on mobile data would download every surface (the charts too) to precache them.
if (!globalThis.location.pathname.startsWith('/live')) registerSW({ immediate: true });

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
