// Patient search. One request serves both needs: the server returns the matching
// patients in the caller's care in full, and, when the search carries at least two
// identity criteria (name and birth date, or the NIR), the matching patients outside it
// as minimal identity. Own patients are listed first.
import { useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { isRedacted, resources, search, type SearchParams } from '../api/fhir';
import type { Patient } from '../api/fhir_types';
import { t } from '../i18n';
import { Field, Submit } from '../shell/field';
import type { RouteProps } from '../shell/router';
import { errorText } from './error_notice';
import { PatientList } from './patient_list';

export function SearchScreen(props: RouteProps) {
  const [name, setName] = useState(props.query.get('name') ?? '');
  const [birthdate, setBirthdate] = useState(props.query.get('birthdate') ?? '');
  const [identifier, setIdentifier] = useState(props.query.get('identifier') ?? '');
  const [results, setResults] = useState<Patient[] | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const params: SearchParams = { _count: 20 };
    if (name.trim()) params.name = name.trim();
    if (birthdate) params.birthdate = birthdate;
    if (identifier.trim()) params.identifier = identifier.replace(/\s+/g, '');
    if (Object.keys(params).length === 1) {
      setError(t('search.empty'));
      return;
    }
    setBusy(true);
    setError('');
    try {
      setResults(resources(await search<Patient>('Patient', params)));
      // The criteria (not the results) go in the address, so that Back returns here.
      const q = new URLSearchParams({ name, birthdate, identifier });
      history.replaceState(null, '', `#/search?${q.toString()}`);
    } catch (err) {
      setResults(null);
      setError(err instanceof ApiError ? errorText(err) : String(err));
    } finally {
      setBusy(false);
    }
  };

  const own = results?.filter((p) => !isRedacted(p)) ?? [];
  const directory = results?.filter(isRedacted) ?? [];
  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">{t('nav.search')}</h1>
      <form class="search" onSubmit={submit} role="search">
        <div class="row">
          <div>
            <Field id="search-name" label={t('search.name')} value={name} onValue={setName} autoFocus />
          </div>
          <div>
            <Field
              id="search-birthdate"
              label={t('search.birthdate')}
              type="date"
              value={birthdate}
              onValue={setBirthdate}
            />
          </div>
          <div>
            <Field id="search-identifier" label={t('search.identifier')} value={identifier} onValue={setIdentifier} />
          </div>
        </div>
        <p class="muted">{t('search.help')}</p>
        <Submit label={t('search.submit')} busy={busy} error={error} />
      </form>
      {results && (
        <>
          <h2>{t('search.own')}</h2>
          <PatientList patients={own} caption={t('search.ownCaption', { count: own.length })} showNir />
          {directory.length > 0 && (
            <>
              <h2>{t('search.directory')}</h2>
              <p class="muted">{t('search.directoryHelp')}</p>
              <PatientList patients={directory} caption={t('search.directoryCaption', { count: directory.length })} />
            </>
          )}
        </>
      )}
    </section>
  );
}
