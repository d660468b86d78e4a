import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { problemText } from '../../components/form.js';
import { useFormat } from '../../i18n/format.js';
import type { Match, MatchList, MatchReason } from './coachApi.js';
import './coach.css';

const COMPONENTS = ['essentialSkills', 'optionalSkills', 'occupation', 'languages', 'distance', 'preferences'] as const;

export function MatchLabel(props: { label: Match['label']; score: number }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <span className={`badge match-${props.label}`}>
      {t(`coach.matchLabel.${props.label}`)} · {format.number(props.score, { style: 'percent' })}
    </span>
  );
}

/**
 * One rule the service applied, in the reader's words (its code) with the service's own sentence beneath
 * (English, marked as such so screen readers pronounce it right).
 */
export function Reason(props: { reason: MatchReason }) {
  const { t } = useTranslation();
  const { reason } = props;
  return (
    <li className={`reason reason-${reason.effect}`}>
      <span className="badge">{t(`coach.effect.${reason.effect}`)}</span>{' '}
      <strong>{t(`coach.reason.${reason.code}`)}</strong>
      <br />
      <span className="muted" lang="en" dir="ltr">
        {reason.detail}
      </span>
    </li>
  );
}

/**
 * The score's parts as bars. The bar is decoration: every value is also written out, so the list reads
 * the same to a screen reader, in print and in high contrast.
 */
export function ScoreBars(props: { match: Match }) {
  const { t } = useTranslation();
  const format = useFormat();
  const pct = (n: number) => format.number(n, { style: 'percent', maximumFractionDigits: 0 });
  return (
    <ul className="plain score-bars" aria-label={t('coach.match.components')}>
      {COMPONENTS.map((name) => {
        const c = props.match.components[name];
        return (
          <li key={name} className="score-bar">
            <span className="score-bar-name">{t(`coach.component.${name}`)}</span>
            <span className="score-bar-track" aria-hidden="true">
              <span className="score-bar-weight" style={{ inlineSize: `${Math.round(c.weight * 100)}%` }}>
                <span className="score-bar-fill" style={{ inlineSize: `${Math.round(c.value * 100)}%` }} />
              </span>
            </span>
            <span className="score-bar-text">
              {t('coach.match.componentText', {
                value: pct(c.value),
                contribution: pct(c.contribution),
                weight: pct(c.weight),
              })}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

/** Everything that explains one match: the parts of its score, skills, languages, distance, right to work. */
export function MatchExplained(props: { match: Match }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { match } = props;
  const headingId = useId();
  const missing = match.skills.missingEssential;
  return (
    <div className="match-explained">
      <ScoreBars match={match} />
      {match.adjustment !== undefined && match.adjustment < 1 && (
        <p className="muted">
          {t('coach.match.adjusted', { factor: format.number(match.adjustment, { maximumFractionDigits: 2 }) })}
        </p>
      )}
      <dl className="facts">
        <dt>{t('coach.match.missingEssential')}</dt>
        <dd>
          {missing.length === 0 ? (
            t('coach.match.noneMissing')
          ) : (
            <ul className="plain-inline">
              {missing.map((s) => (
                <li key={s.id} lang="en">
                  {s.label}
                </li>
              ))}
            </ul>
          )}
        </dd>
        {match.skills.matchedEssential.length > 0 && (
          <>
            <dt>{t('coach.match.matchedEssential')}</dt>
            <dd>
              <ul className="plain-inline">
                {match.skills.matchedEssential.map((s) => (
                  <li key={s.id} lang="en">
                    {s.label}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        {match.skills.missingOptional.length > 0 && (
          <>
            <dt>{t('coach.match.missingOptional')}</dt>
            <dd>
              <ul className="plain-inline">
                {match.skills.missingOptional.map((s) => (
                  <li key={s.id} lang="en">
                    {s.label}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        <dt>{t('coach.match.occupation')}</dt>
        <dd>
          {t(`coach.fit.${match.occupation.fit}`)}
          {match.occupation.via && (
            <>
              {' '}
              (<bdi lang="en">{match.occupation.via.label}</bdi>)
            </>
          )}
        </dd>
        <dt>{t('coach.match.languages')}</dt>
        <dd>
          {match.languages.length === 0 ? (
            t('coach.match.noLanguagesAsked')
          ) : (
            <ul className="plain-inline">
              {match.languages.map((l) => (
                <li key={l.language} className={l.meets ? undefined : 'gap'}>
                  {t(l.meets ? 'coach.match.languageMeets' : 'coach.match.languageGap', {
                    language: format.languageName(l.language),
                    required: l.required,
                    held: l.held ?? t('coach.match.notHeld'),
                  })}
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>{t('coach.match.distance')}</dt>
        <dd>
          {match.distanceKm === null
            ? t('coach.match.remote')
            : format.number(match.distanceKm, { style: 'unit', unit: 'kilometer', maximumFractionDigits: 0 })}
        </dd>
        <dt>{t('coach.match.rightToWork')}</dt>
        <dd>
          {t(match.rightToWork.allowed ? 'coach.match.rightToWorkYes' : 'coach.match.rightToWorkNo')}{' '}
          <span className="muted" lang="en" dir="ltr">
            ({match.rightToWork.basis})
          </span>
        </dd>
      </dl>
      {match.reasons.length > 0 && (
        <div>
          <h4 id={headingId}>{t('coach.match.lowered')}</h4>
          <ul className="plain reasons" aria-labelledby={headingId}>
            {match.reasons.map((r) => (
              <Reason key={`${r.code}:${r.detail}`} reason={r} />
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

/**
 * Why a list is short or empty, said where the list would be: the notices (what keeps it empty), how
 * many pairs each rule kept out, and the score floor. Never an empty box without words.
 */
export function WhyShort(props: { list: MatchList }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { list } = props;
  const excluded = list.excluded.filter((e) => e.count > 0);
  return (
    <div className={list.items.length === 0 ? 'alert alert-warning' : 'why-short'} role="note">
      {list.items.length === 0 && <p>{t('coach.match.none')}</p>}
      {list.notices.length > 0 && (
        <ul className="plain reasons">
          {list.notices.map((n) => (
            <Reason key={`${n.code}:${n.detail}`} reason={n} />
          ))}
        </ul>
      )}
      {excluded.length > 0 && (
        <>
          <p>{t('coach.match.keptOut')}</p>
          <ul>
            {excluded.map((e) => (
              <li key={e.code}>
                {t(`coach.reason.${e.code}`)}: {format.number(e.count)}
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="muted">{t('coach.match.floor', { floor: format.number(list.scoreFloor, { style: 'percent' }) })}</p>
    </div>
  );
}

/** A failed action's problem in words, next to the buttons that caused it. */
export function ErrorAlert(props: { error: unknown }) {
  const { t } = useTranslation();
  if (!props.error) return null;
  return (
    <div className="alert alert-error" role="alert">
      {problemText(props.error, t)}
    </div>
  );
}
