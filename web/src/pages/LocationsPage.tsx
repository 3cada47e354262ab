/**
 * Locations and errors: every registered location with its last refresh (status, counts, timings) and a refresh
 * button, then the stored ingestion errors (paginated, optionally for one location).
 */
import { useEffect, useState } from 'react';
import { useLocation, useSearchParams } from 'react-router-dom';
import { api } from '../api.js';
import { useApi } from '../hooks.js';
import { Card, Empty, ErrorState, Loading, Pager } from '../components/ui.js';
import { ErrorsTable } from '../components/ErrorsTable.js';
import { LocationsTable } from './locations/LocationsTable.js';

const LOCATIONS_PER_PAGE = 20;
const ERRORS_PER_PAGE = 50;

export default function LocationsPage() {
  const [params, setParams] = useSearchParams();
  const { hash } = useLocation();
  const [locOffset, setLocOffset] = useState(0);
  const locationId = params.get('location') ?? '';
  const errOffset = Math.max(0, Number(params.get('offset')) || 0);

  const locations = useApi((signal) => api.locationStatus({ limit: LOCATIONS_PER_PAGE, offset: locOffset }, signal), [locOffset]);
  const errors = useApi(
    (signal) => api.errors({ locationId: locationId || undefined, limit: ERRORS_PER_PAGE, offset: errOffset }, signal),
    [locationId, errOffset],
  );

  // While a location is being read, poll its status (and its errors) until it settles.
  const busy = locations.data?.items.some((l) => l.lastStatus === 'pending' || l.lastStatus === 'processing');
  const { reload: reloadLocations } = locations;
  const { reload: reloadErrors } = errors;
  useEffect(() => {
    if (!busy) return;
    const t = setTimeout(() => {
      reloadLocations();
      reloadErrors();
    }, 1500);
    return () => clearTimeout(t);
  }, [busy, locations.data, reloadLocations, reloadErrors]);

  const errorsLoaded = !!errors.data;
  useEffect(() => {
    if (errorsLoaded && hash === '#errors') document.getElementById('errors')?.scrollIntoView();
  }, [errorsLoaded, hash]);

  const setErrorParams = (id: string, offset: number) => {
    const next = new URLSearchParams();
    if (id) next.set('location', id);
    if (offset) next.set('offset', String(offset));
    setParams(next);
  };
  const loc = locations.data;
  const err = errors.data;
  const selected = loc?.items.find((l) => l.id === locationId);

  return (
    <div className="page">
      <h1>Locations &amp; errors</h1>
      <Card
        title={<>Locations {loc && <span className="count">{loc.totalItems.toLocaleString()}</span>}</>}
        actions={
          loc && loc.totalItems > LOCATIONS_PER_PAGE ? (
            <Pager
              label={`${locOffset + 1}–${Math.min(locOffset + LOCATIONS_PER_PAGE, loc.totalItems)} of ${loc.totalItems}`}
              onPrev={locOffset > 0 ? () => setLocOffset(Math.max(0, locOffset - LOCATIONS_PER_PAGE)) : undefined}
              onNext={locOffset + LOCATIONS_PER_PAGE < loc.totalItems ? () => setLocOffset(locOffset + LOCATIONS_PER_PAGE) : undefined}
            />
          ) : undefined
        }
      >
        {locations.error && <ErrorState error={locations.error} what="locations" />}
        {!loc && !locations.error && <Loading what="locations" />}
        {loc &&
          (loc.items.length ? (
            <LocationsTable items={loc.items} selectedId={locationId} onShowErrors={(id) => setErrorParams(id, 0)} onRefreshed={reloadLocations} />
          ) : (
            <Empty>No locations registered. Add one in tarmac.yaml, with `tarmac catalog import`, or `POST /api/catalog/locations`.</Empty>
          ))}
      </Card>
      <Card
        id="errors"
        className="card-errors"
        title={
          <>
            Errors {err && <span className={`count ${err.totalItems ? 'count-bad' : ''}`}>{err.totalItems.toLocaleString()}</span>}
            {locationId && <span className="muted small"> in {selected?.target ?? 'one location'}</span>}
          </>
        }
        actions={
          <>
            {locationId && (
              <button type="button" className="link-button" onClick={() => setErrorParams('', 0)}>
                Show all locations
              </button>
            )}
            {err && err.totalItems > ERRORS_PER_PAGE && (
              <Pager
                label={`${errOffset + 1}–${Math.min(errOffset + ERRORS_PER_PAGE, err.totalItems)} of ${err.totalItems.toLocaleString()}`}
                busy={errors.loading}
                onPrev={errOffset > 0 ? () => setErrorParams(locationId, Math.max(0, errOffset - ERRORS_PER_PAGE)) : undefined}
                onNext={errOffset + ERRORS_PER_PAGE < err.totalItems ? () => setErrorParams(locationId, errOffset + ERRORS_PER_PAGE) : undefined}
              />
            )}
          </>
        }
      >
        {errors.error && <ErrorState error={errors.error} what="errors" />}
        {!err && !errors.error && <Loading what="errors" />}
        {err && (err.items.length ? <ErrorsTable items={err.items} /> : <Empty>No errors. Everything ingested cleanly.</Empty>)}
      </Card>
    </div>
  );
}
