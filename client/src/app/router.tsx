import type { ComponentType } from 'react';
import { createBrowserRouter, Navigate, type RouteObject } from 'react-router';
import { Home } from './Home';
import { Layout } from './Layout';
import { Loading, RouteError } from './RouteError';

/** A surface at `path`, its component loaded when first visited (with the web font, in parallel, if it uses it). */
function surface(path: string, load: () => Promise<ComponentType>, { fonts = false } = {}): RouteObject {
  return {
    path,
    errorElement: <RouteError />,
    hydrateFallbackElement: <Loading />,
    lazy: async () => {
      const [Component] = await Promise.all([load(), fonts && import('../common/ui/fonts')]);
      return { Component };
    },
  };
}

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
  surface('judge/*', async () => (await import('../judge/JudgeApp')).JudgeApp, { fonts: true }),
  surface('chief/*', async () => (await import('../chief/ChiefApp')).ChiefApp, { fonts: true }),
  surface('organizer/*', async () => (await import('../organizer/OrganizerApp')).OrganizerApp, {
    fonts: true,
  }),
  // The venue's big screen (dark, full screen) and the spectators' phone page (light: its own first load).
  surface('screen/*', async () => (await import('../display/DisplayApp')).DisplayApp),
  surface('live/*', async () => (await import('../spectator/SpectatorApp')).loadSpectatorApp()),
  { path: '*', element: <Navigate to="/" replace /> },
]);
