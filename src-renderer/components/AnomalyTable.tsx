import type { StoredAnomaly } from '../../src-shared/edge/payload';
import { TableWrap } from './TableWrap';

/** Reported anomalies as a table (the Anomalies page, a site on the Fleet page). */
export function AnomalyTable({
  items,
  label,
  testId,
  showSite = true,
}: {
  items: StoredAnomaly[];
  label: string;
  testId: string;
  showSite?: boolean;
}) {
  return (
    <TableWrap label={label}>
      <table className="data" data-testid={testId}>
        <thead>
          <tr>
            <th>Time</th>
            {showSite && <th>Site</th>}
            <th>Pump</th>
            <th>Sensor</th>
            <th>Status</th>
            <th>Value</th>
            <th>Description</th>
          </tr>
        </thead>
        <tbody>
          {items.map((a) => (
            <tr key={a.id}>
              <td>{a.timestamp}</td>
              {showSite && <td>{a.siteId}</td>}
              <td>{a.pumpId}</td>
              <td>{a.sensorId}</td>
              <td>{String(a.additionalContext.status ?? '')}</td>
              <td>{a.logValue.toFixed(2)}</td>
              <td>{a.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
