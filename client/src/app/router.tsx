import { createBrowserRouter, Navigate } from 'react-router';
import { Home } from './Home';
import { Layout } from './Layout';
import { Loading, RouteError } from './RouteError';

/**
 * One app, one lazily loaded chunk per surface: a judge's tablet never downloads the chief judge's console or
 * the charts, a phone never downloads either.
 */
export const router = createBrowserRouter([
  {
    element: <Layout />,
    errorElement: <RouteError />,
    hydrateFallbackElement: <Loading />,
    children: [
      { index: true, element: <Home /> },
      { path: 'demo', lazy: async () => ({ Component: (await import('../demo/DemoResults')).DemoResults }) },
      {
        path: 'templates',
        lazy: async () => ({ Component: (await import('../demo/TemplatesView')).TemplatesView }),
      },
      {
        path: 'verify',
        lazy: async () => ({ Component: (await import('../demo/VerifyResults')).VerifyResults }),
      },
    ],
  },
  // The working surfaces have screens of their own (no demo header): a tablet needs every pixel.
  {
    path: 'judge/*',
    errorElement: <RouteError />,
    hydrateFallbackElement: <Loading />,
    lazy: async () => {
      const [{ JudgeApp }] = await Promise.all([import('../judge/JudgeApp'), import('../common/ui/fonts')]);
      return { Component: JudgeApp };
    },
  },
  {
    path: 'chief/*',
    errorElement: <RouteError />,
    hydrateFallbackElement: <Loading />,
    lazy: async () => {
      const [{ ChiefApp }] = await Promise.all([import('../chief/ChiefApp'), import('../common/ui/fonts')]);
      return { Component: ChiefApp };
    },
  },
  // The venue's big screen (dark, full screen) and the spectators' phone page (light: its own first load).
  {
    path: 'screen/*',
    errorElement: <RouteError />,
    hydrateFallbackElement: <Loading />,
    lazy: async () => ({ Component: (await import('../display/DisplayApp')).DisplayApp }),
  },
  {
    path: 'live/*',
    errorElement: <RouteError />,
    hydrateFallbackElement: <Loading />,
    lazy: async () => ({ Component: (await import('../spectator/SpectatorApp')).SpectatorApp }),
  },
  { path: '*', element: <Navigate to="/" replace /> },
]);
