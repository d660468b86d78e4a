import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { UseQueryResult } from '@tanstack/react-query';
import { useOrganisation } from '../api/queries.js';
import { problemText } from './form.js';

export function StatusBadge(props: { status: string }) {
  const { t } = useTranslation();
  return <span className={`badge status-${props.status}`}>{t(`vocab.referralStatus.${props.status}`)}</span>;
}

export function OverdueBadge() {
  const { t } = useTranslation();
  return <span className="badge badge-overdue">{t('referrals.overdue')}</span>;
}

export function OrganisationName(props: { id: string | null | undefined }) {
  const { t } = useTranslation();
  const organisation = useOrganisation(props.id);
  if (!props.id) return <>—</>;
  // Names keep their own direction inside a right-to-left page (and the reverse).
  return <bdi>{organisation.data?.name ?? (organisation.isError ? t('common.unknownOrganisation') : '…')}</bdi>;
}

/** Loading and failure of a query in words; the content once there. */
export function QueryState<T>(props: { query: UseQueryResult<T>; children: (data: T) => ReactNode }) {
  const { t } = useTranslation();
  if (props.query.isPending)
    return (
      <p className="muted" role="status">
        {t('common.loading')}
      </p>
    );
  if (props.query.isError)
    return (
      <div className="alert alert-error" role="alert">
        {problemText(props.query.error, t)}
      </div>
    );
  return <>{props.children(props.query.data as T)}</>;
}

export function Section(props: { title: string; id?: string; children: ReactNode; actions?: ReactNode }) {
  const headingId = `${props.id ?? props.title.replace(/\W+/g, '-').toLowerCase()}-heading`;
  return (
    <section className="card" aria-labelledby={headingId} id={props.id}>
      <div className="card-header">
        <h2 id={headingId}>{props.title}</h2>
        {props.actions}
      </div>
      {props.children}
    </section>
  );
}

export const isOverdue = (referral: { status: string; respondBy: string }, now = Date.now()): boolean =>
  referral.status === 'requested' && Date.parse(referral.respondBy) <= now;
