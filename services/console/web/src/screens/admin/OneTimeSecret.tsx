import { useTranslation } from 'react-i18next';

/** A secret the registry answers once: shown here, never again (the registry keeps only its hash). */
export function OneTimeSecret(props: { title: string; label: string; value: string; onDismiss: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="alert alert-warning" role="status">
      <p>
        <strong>{props.title}</strong>
      </p>
      <p>{t('admin.secret.once')}</p>
      <p>
        {props.label}: <code className="secret">{props.value}</code>
      </p>
      <div className="actions">
        <button type="button" className="button-secondary" onClick={props.onDismiss}>
          {t('admin.secret.copied')}
        </button>
      </div>
    </div>
  );
}
