import { useApi } from '../useApi';

/** Which clock the times on a page are: the station's wall clock, in its time zone when station.json names it. */
export function useStationZone(): string {
  const zone = useApi('station.config', {}).data?.timezone;
  return zone ? `station time, ${zone}` : 'station time (zone not set in station.json)';
}

export function StationTime() {
  const zone = useStationZone();
  return (
    <span className="muted small" data-testid="station-time">
      Times: {zone}
    </span>
  );
}
