/** A run or step status (`completed`, `failed`, `processing`…) as a coloured badge. */
import { Badge, type Tone } from '../../components/ui.js';

const TONE: Record<string, Tone> = { completed: 'good', failed: 'bad', cancelled: 'warn', processing: 'kind', skipped: 'neutral', open: 'neutral' };

/** A status as a coloured badge. */
export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge tone={TONE[status] ?? 'neutral'}>
      <span data-status={status}>{status}</span>
    </Badge>
  );
}
