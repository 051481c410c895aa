// The practice's patient list, a page at a time. medvault keeps no appointment book, and
// the API answers clinical searches one patient at a time (an Encounter search without a
// patient is refused: "today's encounters" would take one search per patient, each
// counted against the user's budget), so the day's list is the practice's patients
// (managingOrganization; for physicians and nurses, those in their care), the most
// recently changed first; each
// page counts against the user's patient budget like any other patient data, which is
// why pages are small.
import { useState } from 'preact/hooks';
import { resources, search } from '../api/fhir';
import type { Patient } from '../api/fhir_types';
import { t } from '../i18n';
import { useMe } from '../shell/session';
import { ErrorNotice } from './error_notice';
import { PatientList } from './patient_list';
import { useLoad } from './use_load';

export const PAGE_SIZE = 10;

export function TodayScreen() {
  const me = useMe();
  const [page, setPage] = useState(0);
  const list = useLoad(
    () =>
      search<Patient>('Patient', {
        organization: `Organization/${me.organization}`,
        _sort: '-_lastUpdated',
        _count: PAGE_SIZE,
        _offset: page * PAGE_SIZE,
      }),
    [me.organization, page],
  );
  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  return (
    <section aria-labelledby="today-title">
      <h1 id="today-title">{t('nav.today')}</h1>
      <p class="muted">{t('today.help')}</p>
      {list.error && <ErrorNotice error={list.error} onRetry={list.reload} />}
      {list.loading && <p>{t('app.loading')}</p>}
      {list.data && (
        <>
          <PatientList patients={resources(list.data)} caption={t('today.caption', { total })} showNir />
          <nav class="pager" aria-label={t('today.pages')}>
            <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
              {t('today.previous')}
            </button>
            <span>{t('today.page', { page: page + 1, pages })}</span>
            <button type="button" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
              {t('today.next')}
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
