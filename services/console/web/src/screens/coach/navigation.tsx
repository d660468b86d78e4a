import { Link } from '@tanstack/react-router';
import type { NavEntry } from '../../navigation.js';

const current = { 'aria-current': 'page' } as const;

/** The job coach's areas in the main navigation (employers' admins run opportunities and the pipeline too). */
export const COACH_NAV: readonly NavEntry[] = [
  {
    id: 'coach-opportunities',
    roles: ['job_coach', 'org_admin'],
    label: 'coach.nav.opportunities',
    link: (label) => (
      <Link to="/coach/opportunities" search={{}} activeProps={current}>
        {label}
      </Link>
    ),
  },
  {
    id: 'coach-candidates',
    roles: ['job_coach'],
    label: 'coach.nav.candidates',
    link: (label) => (
      <Link to="/coach/candidates" activeProps={current}>
        {label}
      </Link>
    ),
  },
  {
    id: 'coach-pipeline',
    roles: ['job_coach', 'org_admin'],
    label: 'coach.nav.pipeline',
    link: (label) => (
      <Link to="/coach/pipeline" search={{}} activeProps={current}>
        {label}
      </Link>
    ),
  },
];
