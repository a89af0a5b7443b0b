import { useTranslation } from 'react-i18next';
import { problemMessage } from '../api/client.ts';
import { currentLanguage } from '../i18n/index.ts';

/** Turns any caught error into a message in the current language (server text preferred). */
export function useProblemMessage(): (err: unknown) => string {
  const { t } = useTranslation();
  return (err: unknown) =>
    problemMessage(err, currentLanguage(), (key, status) =>
      key === 'network' ? t('errors.network') : t('errors.unexpected', { status: status ?? '—' }),
    );
}
