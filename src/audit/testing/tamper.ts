import type { Database } from '../../core/db/index.js';
import type { AuditInput } from '../../core/auth.js';
import { NO_CHANGE_TRIGGER } from '../storage/migrations.js';

/**
 * Runs statements on `audit_events` as an attacker with owner rights would: inside one transaction with the
 * append-only trigger disabled (`ALTER TABLE … DISABLE TRIGGER`), or with `session_replication_role = replica`
 * (which skips ordinary triggers, superuser only). The trigger is back on when the transaction ends.
 */
export async function tamper(db: Database, statements: Array<[string, unknown[]?]>, how: 'disable-trigger' | 'replica' = 'disable-trigger'): Promise<void> {
  await db.transaction(async (tx) => {
    if (how === 'replica') await tx.query('SET LOCAL session_replication_role = replica');
    else await tx.query(`ALTER TABLE audit_events DISABLE TRIGGER ${NO_CHANGE_TRIGGER}`);
    for (const [sql, params] of statements) await tx.query(sql, params ?? []);
    if (how === 'disable-trigger') await tx.query(`ALTER TABLE audit_events ENABLE TRIGGER ${NO_CHANGE_TRIGGER}`);
  });
}

/** A valid event for tests: `n` goes into the resource and the summary. */
export function sampleEvent(n: number, overrides: Partial<AuditInput> = {}): AuditInput {
  return {
    actor: n % 2 ? 'user:default/jane' : 'token:ab12',
    action: n % 3 ? 'catalog.location.create' : 'template.run',
    resource: `location:${n}`,
    outcome: 'success',
    requestId: `req-${n}`,
    ip: '127.0.0.1',
    summary: { n },
    ...overrides,
  };
}
