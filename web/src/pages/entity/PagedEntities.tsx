/** A card listing the entities matching one filter, 20 per page with cursor paging (group members, owned…). */
import { useState } from 'react';
import { api, TABLE_FIELDS } from '../../api.js';
import { useApi } from '../../hooks.js';
import { Card, Empty, ErrorState, Loading, Pager } from '../../components/ui.js';
import { EntityTable, PROFILE_FIELDS, type Column } from '../catalog/EntityTable.js';

const PAGE_SIZE = 20;

interface Props {
  title: string;
  /** One Backstage filter set, e.g. `kind=user,relations.memberof=group:default/team-a`. */
  filter: string;
  empty: string;
  columns?: readonly Column[];
  testId?: string;
}

/**
 * A titled card with an `EntityTable` of the entities matching `props.filter`, read 20 at a time from
 * `GET /api/catalog/entities/by-query` (cursor paging); shows `props.empty` when there are none.
 */
export function PagedEntities(props: Props) {
  const fields = props.columns?.some((c) => c === 'displayName' || c === 'email') ? [...TABLE_FIELDS, ...PROFILE_FIELDS] : TABLE_FIELDS;
  const [page, setPage] = useState<{ cursor?: string; n: number }>({ n: 1 });
  const result = useApi(
    (signal) =>
      api.queryEntities(
        page.cursor
          ? { cursor: page.cursor, limit: PAGE_SIZE, fields }
          : { filter: [props.filter], fields, limit: PAGE_SIZE, orderField: 'metadata.name,asc' },
        signal,
      ),
    [props.filter, page.cursor],
  );
  const data = result.data;
  const info = data?.pageInfo;
  return (
    <Card
      title={
        <>
          {props.title} {data && <span className="count">{data.totalItems.toLocaleString()}</span>}
        </>
      }
      id={props.testId}
      actions={
        data && (info?.nextCursor || info?.prevCursor) ? (
          <Pager
            label={`Page ${page.n}`}
            busy={result.loading}
            onPrev={info.prevCursor ? () => setPage({ cursor: info.prevCursor, n: page.n - 1 }) : undefined}
            onNext={info.nextCursor ? () => setPage({ cursor: info.nextCursor, n: page.n + 1 }) : undefined}
          />
        ) : undefined
      }
    >
      {result.error && <ErrorState error={result.error} what={props.title.toLowerCase()} />}
      {!data && !result.error && <Loading />}
      {data && !result.error && (data.items.length ? <EntityTable items={data.items} columns={props.columns} /> : <Empty>{props.empty}</Empty>)}
    </Card>
  );
}
