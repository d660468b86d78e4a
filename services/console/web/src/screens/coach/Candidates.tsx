import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { QueryState } from '../../components/display.js';
import { useFormat } from '../../i18n/format.js';
import { candidatesQuery, type CandidateSummary } from './coachApi.js';
import { CandidateName } from './CandidateName.js';
import { Reason } from './MatchExplained.js';
import './coach.css';

/**
 * The organisation's candidates: clients whose job-matching consent it recorded. Each says what the
 * consent shares and, when they can match nothing, why (a consent without the permit dates, no profile).
 */
export function Candidates() {
  const { t } = useTranslation();
  const list = useQuery(candidatesQuery);
  return (
    <div>
      <h1>{t('coach.candidates.title')}</h1>
      <p className="lead">{t('coach.candidates.intro')}</p>
      <QueryState query={list}>
        {(data) =>
          data.items.length === 0 ? (
            <div className="alert alert-warning" role="note">
              {t('coach.candidates.none')}
            </div>
          ) : (
            <ul className="plain cards">
              {data.items.map((c) => (
                <CandidateCard key={c.clientId} candidate={c} />
              ))}
            </ul>
          )
        }
      </QueryState>
    </div>
  );
}

export function ConsentShares(props: { scope: readonly string[] }) {
  const { t } = useTranslation();
  return (
    <ul className="plain-inline" aria-label={t('coach.candidates.shares')}>
      {props.scope.map((s) => (
        <li key={s}>{t(`vocab.scope.${s}`)}</li>
      ))}
    </ul>
  );
}

function CandidateCard(props: { candidate: CandidateSummary }) {
  const { t } = useTranslation();
  const format = useFormat();
  const c = props.candidate;
  return (
    <li className="card">
      <div className="need-head">
        <h2 className="h3">
          <Link to="/coach/candidates/$clientId" params={{ clientId: c.clientId }}>
            <CandidateName clientId={c.clientId} />
          </Link>
        </h2>
        <span className="badge">
          {c.legalStatus ? t(`vocab.legalStatus.${c.legalStatus}`) : t('coach.candidates.noStatus')}
        </span>
      </div>
      <p className="muted">{t('coach.candidates.updated', { date: format.dateTime(c.updatedAt) })}</p>
      <ConsentShares scope={c.consentScope} />
      {c.notices.length > 0 && (
        <div className="alert alert-warning" role="note">
          <p>{t('coach.candidates.matchesNothing')}</p>
          <ul className="plain reasons">
            {c.notices.map((n) => (
              <Reason key={n.code} reason={n} />
            ))}
          </ul>
        </div>
      )}
      <div className="actions">
        <Link className="button-link" to="/coach/candidates/$clientId" params={{ clientId: c.clientId }}>
          {t('coach.candidates.matches')}
        </Link>
        <Link className="button-link button-secondary" to="/coach/why-not" search={{ clientId: c.clientId }}>
          {t('coach.candidates.whyNot')}
        </Link>
      </div>
    </li>
  );
}
