import { useTranslation } from 'react-i18next';
import { Link } from '@tanstack/react-router';

type Target =
  | '/organisation'
  | '/organisation/services'
  | '/organisation/people'
  | '/organisation/api-clients'
  | '/network/applications'
  | '/network/members'
  | '/network/code-of-conduct';

const ORGANISATION: readonly [Target, string][] = [
  ['/organisation', 'admin.tabs.profile'],
  ['/organisation/services', 'admin.tabs.services'],
  ['/organisation/people', 'admin.tabs.people'],
  ['/organisation/api-clients', 'admin.tabs.apiClients'],
];
const NETWORK: readonly [Target, string][] = [
  ['/network/applications', 'admin.tabs.applications'],
  ['/network/members', 'admin.tabs.members'],
  ['/network/code-of-conduct', 'admin.tabs.codeOfConduct'],
];

/** The parts of the org admin's (or the network admin's) area, as tabs that are links. */
export function AdminTabs(props: { area: 'organisation' | 'network'; current: Target }) {
  const { t } = useTranslation();
  const tabs = props.area === 'organisation' ? ORGANISATION : NETWORK;
  return (
    <div className="tabs" role="group" aria-label={t(`admin.tabs.${props.area}`)}>
      {tabs.map(([to, label]) => (
        <Link
          key={to}
          to={to}
          className={`tab${props.current === to ? ' tab-active' : ''}`}
          aria-current={props.current === to ? 'page' : undefined}
        >
          {t(label)}
        </Link>
      ))}
    </div>
  );
}
