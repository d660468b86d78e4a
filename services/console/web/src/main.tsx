import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { isApiError } from './api/problems.js';
import { initI18n } from './i18n/i18n.js';
import { createConsoleRouter } from './router.js';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      // A "not yours" or a validation answer will not change on retry; a dropped connection may.
      retry: (count, error) => count < 2 && (!isApiError(error) || error.status === 0 || error.status >= 500),
      refetchOnWindowFocus: false,
    },
  },
});

await initI18n();
const router = createConsoleRouter(queryClient);

// After a route change, focus moves to the page's heading so screen readers announce the new page.
router.subscribe('onResolved', ({ fromLocation, toLocation }) => {
  if (!fromLocation || fromLocation.pathname === toLocation.pathname) return;
  requestAnimationFrame(() => {
    const heading = document.querySelector<HTMLElement>('main h1');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus();
    }
  });
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
