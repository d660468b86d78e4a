import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  redirect,
} from '@tanstack/react-router';
import { sessionQuery } from './api/queries.js';
import { Shell } from './components/Shell.js';
import { SignIn } from './screens/SignIn.js';
import { REFERRAL_STATUSES } from './vocabulary.js';
import type { AuditSearch } from './screens/Audit.js';
import { COACH_HOME, coachRoutes } from './screens/coach/routes.js';
import { INSIGHTS_HOME, insightsRoutes } from './screens/insights/routes.js';

export interface DirectorySearch {
  q?: string | undefined;
  category?: string | undefined;
  language?: string | undefined;
  region?: string | undefined;
  open?: boolean | undefined;
  page?: number | undefined;
}

interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({ component: Shell });

/** Where each person starts: the first area of the navigation their roles open. */
const homeOf = (
  roles: readonly string[],
):
  | '/caseload'
  | typeof COACH_HOME
  | '/audit'
  | '/erasure'
  | '/organisation'
  | '/network/applications'
  | typeof INSIGHTS_HOME
  | '/directory' =>
  roles.includes('referral_officer')
    ? '/caseload'
    : roles.includes('job_coach')
      ? COACH_HOME
      : roles.includes('auditor')
        ? '/audit'
        : roles.includes('data_protection_officer')
          ? '/erasure'
          : roles.includes('org_admin')
            ? '/organisation'
            : roles.includes('network_admin')
              ? '/network/applications'
              : roles.includes('funder')
                ? INSIGHTS_HOME
                : '/directory';

const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  beforeLoad: async ({ context }) => {
    const session = await context.queryClient.ensureQueryData(sessionQuery);
    throw redirect({ to: session ? homeOf(session.roles) : '/directory' });
  },
});

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  validateSearch: (search: Record<string, unknown>): { redirect?: string } =>
    typeof search.redirect === 'string' ? { redirect: search.redirect } : {},
  component: SignIn,
});

const directoryRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/directory',
  validateSearch: (search: Record<string, unknown>): DirectorySearch => ({
    ...(typeof search.q === 'string' && search.q ? { q: search.q } : {}),
    ...(typeof search.category === 'string' && search.category ? { category: search.category } : {}),
    ...(typeof search.language === 'string' && search.language ? { language: search.language } : {}),
    ...(typeof search.region === 'string' && search.region ? { region: search.region } : {}),
    ...(search.open === true || search.open === 'true' ? { open: true } : {}),
    ...(typeof search.page === 'number' && search.page > 1 ? { page: search.page } : {}),
  }),
  component: lazyRouteComponent(() => import('./screens/Directory'), 'Directory'),
});

/** Everything below needs a session: without one, sign in first and come back. */
export const signedInRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'signed-in',
  beforeLoad: async ({ context, location }) => {
    const session = await context.queryClient.ensureQueryData(sessionQuery);
    if (!session) throw redirect({ to: '/sign-in', search: { redirect: location.href } });
    return { session };
  },
});

const caseloadRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/caseload',
  component: lazyRouteComponent(() => import('./screens/Caseload'), 'Caseload'),
});

const registerRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/clients/new',
  component: lazyRouteComponent(() => import('./screens/RegisterClient'), 'RegisterClient'),
});

const clientRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/clients/$clientId',
  component: lazyRouteComponent(() => import('./screens/ClientPage'), 'ClientPage'),
});

const suggestionsRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/clients/$clientId/needs/$needId/suggestions',
  component: lazyRouteComponent(() => import('./screens/Suggestions'), 'Suggestions'),
});

const referRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/clients/$clientId/refer',
  validateSearch: (search: Record<string, unknown>): { serviceId: string; needId?: string } => ({
    serviceId: typeof search.serviceId === 'string' ? search.serviceId : '',
    ...(typeof search.needId === 'string' ? { needId: search.needId } : {}),
  }),
  component: lazyRouteComponent(() => import('./screens/SendReferral'), 'SendReferral'),
});

type Status = (typeof REFERRAL_STATUSES)[number];
const referralsRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/referrals',
  validateSearch: (
    search: Record<string, unknown>,
  ): { box: 'inbox' | 'outbox'; status?: Status; overdue?: boolean } => ({
    box: search.box === 'outbox' ? 'outbox' : 'inbox',
    ...((REFERRAL_STATUSES as readonly string[]).includes(search.status as string)
      ? { status: search.status as Status }
      : {}),
    ...(search.overdue === true || search.overdue === 'true' ? { overdue: true } : {}),
  }),
  component: lazyRouteComponent(() => import('./screens/ReferralBoxes'), 'ReferralBoxes'),
});

const referralRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/referrals/$referralId',
  component: lazyRouteComponent(() => import('./screens/ReferralPage'), 'ReferralPage'),
});

const accessRequestsRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/access-requests',
  validateSearch: (search: Record<string, unknown>): { box: 'incoming' | 'outgoing' } => ({
    box: search.box === 'outgoing' ? 'outgoing' : 'incoming',
  }),
  component: lazyRouteComponent(() => import('./screens/AccessRequests'), 'AccessRequests'),
});

const auditRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/audit',
  validateSearch: (search: Record<string, unknown>): AuditSearch => ({
    ...(typeof search.clientId === 'string' && search.clientId ? { clientId: search.clientId } : {}),
    ...(typeof search.asOf === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(search.asOf) ? { asOf: search.asOf } : {}),
  }),
  component: lazyRouteComponent(() => import('./screens/Audit'), 'Audit'),
});

const erasureRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/erasure',
  component: lazyRouteComponent(() => import('./screens/Erasure'), 'Erasure'),
});

const webhooksRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/webhooks',
  component: lazyRouteComponent(() => import('./screens/Webhooks'), 'Webhooks'),
});

const notificationSettingsRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/settings/notifications',
  component: lazyRouteComponent(() => import('./screens/NotificationSettings'), 'NotificationSettings'),
});

// The org admin's and the network admin's areas (screens/admin), one lazy chunk per screen.
const adminRoutes = [
  createRoute({
    getParentRoute: () => signedInRoute,
    path: '/organisation',
    component: lazyRouteComponent(() => import('./screens/admin/OrganisationProfile'), 'OrganisationProfile'),
  }),
  createRoute({
    getParentRoute: () => signedInRoute,
    path: '/organisation/services',
    component: lazyRouteComponent(() => import('./screens/admin/OrganisationServices'), 'OrganisationServices'),
  }),
  createRoute({
    getParentRoute: () => signedInRoute,
    path: '/organisation/people',
    component: lazyRouteComponent(() => import('./screens/admin/OrganisationPeople'), 'OrganisationPeople'),
  }),
  createRoute({
    getParentRoute: () => signedInRoute,
    path: '/organisation/api-clients',
    component: lazyRouteComponent(() => import('./screens/admin/ApiClients'), 'ApiClients'),
  }),
  createRoute({
    getParentRoute: () => signedInRoute,
    path: '/network/applications',
    component: lazyRouteComponent(() => import('./screens/admin/MembershipApplications'), 'MembershipApplications'),
  }),
  createRoute({
    getParentRoute: () => signedInRoute,
    path: '/network/members',
    component: lazyRouteComponent(() => import('./screens/admin/NetworkMembers'), 'NetworkMembers'),
  }),
  createRoute({
    getParentRoute: () => signedInRoute,
    path: '/network/code-of-conduct',
    component: lazyRouteComponent(() => import('./screens/admin/NetworkCodeOfConduct'), 'NetworkCodeOfConduct'),
  }),
] as const;

const routeTree = rootRoute.addChildren([
  indexRoute,
  signInRoute,
  directoryRoute,
  signedInRoute.addChildren([
    caseloadRoute,
    registerRoute,
    clientRoute,
    suggestionsRoute,
    referRoute,
    referralsRoute,
    referralRoute,
    accessRequestsRoute,
    auditRoute,
    erasureRoute,
    webhooksRoute,
    notificationSettingsRoute,
    ...coachRoutes,
    ...adminRoutes,
    ...insightsRoutes,
  ]),
]);

export const createConsoleRouter = (queryClient: QueryClient) =>
  createRouter({ routeTree, context: { queryClient }, defaultPreload: 'intent', scrollRestoration: true });

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createConsoleRouter>;
  }
}
