import { useTranslation } from 'react-i18next';
import { useCandidateName } from './coachApi.js';

/** A candidate's display name: the client's name where the case is open to the coach, else the pseudonym. */
export function CandidateName(props: { clientId: string; pseudonymous?: boolean | undefined }) {
  const { t } = useTranslation();
  const name = useCandidateName(props.clientId, !props.pseudonymous);
  if (props.pseudonymous) return <>{t('coach.candidate.pseudonym', { id: props.clientId.slice(0, 12) })}</>;
  return <bdi>{name.data ?? t('coach.candidate.unnamed', { id: props.clientId.slice(0, 8) })}</bdi>;
}
