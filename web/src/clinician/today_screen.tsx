import { t } from '../i18n';

export function TodayScreen() {
  return <h1>{t('nav.today')}</h1>;
}
