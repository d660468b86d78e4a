import { Link } from '@tanstack/react-router';
import type { NavEntry } from '../../navigation.js';

const current = { 'aria-current': 'page' } as const;

/** The network's figures: funders work only here; the network's administrators look in too. */
export const INSIGHTS_NAV: readonly NavEntry[] = [
  {
    id: 'insights',
    roles: ['funder', 'network_admin'],
    label: 'insights.nav',
    link: (label) => (
      <Link to="/insights" search={{}} activeProps={current}>
        {label}
      </Link>
    ),
  },
];
