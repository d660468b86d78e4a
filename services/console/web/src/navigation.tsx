import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from '@tanstack/react-router';
import type { SessionView } from './api/session.js';
import { COACH_NAV } from './screens/coach/navigation.js';
import { INSIGHTS_NAV } from './screens/insights/navigation.js';

type Role = SessionView['roles'][number];

/**
 * The main navigation, one entry per area, shown to the roles that work there. A new area adds its
 * routes in `router.tsx` (a lazy chunk each) and one entry here.
 */
export interface NavEntry {
  id: string;
  /** Who sees it; empty = everyone, signed in or not. */
  roles: readonly Role[];
  link: (label: string) => ReactNode;
  label: string;
}

const current = { 'aria-current': 'page' } as const;

export const NAV: readonly NavEntry[] = [
  {
    id: 'caseload',
    roles: ['referral_officer'],
    label: 'nav.caseload',
    link: (label) => (
      <Link to="/caseload" activeProps={current}>
        {label}
      </Link>
    ),
  },
  {
    id: 'referrals',
    roles: ['referral_officer'],
    label: 'nav.referrals',
    link: (label) => (
      <Link to="/referrals" search={{ box: 'inbox' }} activeProps={current}>
        {label}
      </Link>
    ),
  },
  {
    id: 'access-requests',
    roles: ['referral_officer'],
    label: 'nav.accessRequests',
    link: (label) => (
      <Link to="/access-requests" search={{ box: 'incoming' }} activeProps={current}>
        {label}
      </Link>
    ),
  },
  ...COACH_NAV,
  {
    id: 'audit',
    roles: ['auditor'],
    label: 'nav.audit',
    link: (label) => (
      <Link to="/audit" activeProps={current}>
        {label}
      </Link>
    ),
  },
  {
    id: 'erasure',
    roles: ['data_protection_officer'],
    label: 'nav.erasure',
    link: (label) => (
      <Link to="/erasure" activeProps={current}>
        {label}
      </Link>
    ),
  },
  {
    id: 'webhooks',
    roles: ['org_admin'],
    label: 'nav.webhooks',
    link: (label) => (
      <Link to="/webhooks" activeProps={current}>
        {label}
      </Link>
    ),
  },
  {
    id: 'organisation',
    roles: ['org_admin'],
    label: 'admin.nav.organisation',
    link: (label) => (
      <Link to="/organisation" activeProps={current}>
        {label}
      </Link>
    ),
  },
  {
    id: 'network',
    roles: ['network_admin'],
    label: 'admin.nav.network',
    link: (label) => (
      <Link to="/network/applications" activeProps={current}>
        {label}
      </Link>
    ),
  },
  ...INSIGHTS_NAV,
  {
    id: 'notifications',
    roles: ['org_admin', 'referral_officer', 'job_coach', 'data_protection_officer', 'network_admin', 'auditor'],
    label: 'nav.notifications',
    link: (label) => (
      <Link to="/settings/notifications" activeProps={current}>
        {label}
      </Link>
    ),
  },
  {
    id: 'directory',
    roles: [],
    label: 'nav.directory',
    link: (label) => (
      <Link to="/directory" activeProps={current}>
        {label}
      </Link>
    ),
  },
];

export function MainNavigation(props: { roles: readonly Role[] }) {
  const { t } = useTranslation();
  const visible = NAV.filter((entry) => entry.roles.length === 0 || entry.roles.some((r) => props.roles.includes(r)));
  return (
    <nav aria-label={t('shell.navigation')}>
      <ul>
        {visible.map((entry) => (
          <li key={entry.id}>{entry.link(t(entry.label))}</li>
        ))}
      </ul>
    </nav>
  );
}
