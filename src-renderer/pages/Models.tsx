import { useCallback, useState } from 'react';
import type { ModelSummary, Promotion } from '../../src-shared/api/contract';
import {
  anomalyScoreChart,
  importanceChart,
  predictedVsActualChart,
  residualsChart,
} from '../../src-shared/charts/modelCharts';
import { CSS_PALETTE } from '../../src-shared/charts/palette';
import { driversText } from '../../src-shared/models/anomalyEvents';
import { beatsNaive, qualityText } from '../../src-shared/models/naive';
import { api } from '../api';
import { IsoDateInput } from '../components/IsoDateInput';
import { MaintenanceLog } from '../components/MaintenanceLog';
import { ErrorNote, Panel, Stat } from '../components/Panel';
import { PlotFigure } from '../components/PlotFigure';
import { BusyBar } from '../components/ProgressBar';
import { ProposedBaselines } from '../components/ProposedBaselines';
import { TableWrap } from '../components/TableWrap';
import { fmt } from '../format';
import { useApi } from '../useApi';
import { useLongCall } from '../useLongCall';

const KIND_LABEL = { rul: 'Remaining useful life (days)', risk: 'Failure risk (within 7 days)' } as const;
type Kind = keyof typeof KIND_LABEL;

function metricText(m: ModelSummary): string {
  const naive = m.kind === 'rul' ? m.metrics.naive_rmse : m.metrics.naive_f1;
  const against =
    naive === undefined ? '' : ` · naive ${m.kind === 'rul' ? 'RMSE' : 'F1'} ${fmt(naive, m.kind === 'rul' ? 2 : 3)}`;
  return m.kind === 'rul'
    ? `MAE ${fmt(m.metrics.mae, 2)} d · RMSE ${fmt(m.metrics.rmse, 2)} d · R² ${fmt(m.metrics.r2, 3)}${against}`
    : `precision ${fmt(m.metrics.precision, 2)} · recall ${fmt(m.metrics.recall, 2)} · F1 ${fmt(m.metrics.f1, 3)}${against}`;
}

function Trainer({ pump, onTrained }: { pump: string; onTrained: (m: ModelSummary) => void }) {
  const [kind, setKind] = useState<Kind>('rul');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const { busy, error, run } = useLongCall();
  const train = () =>
    run(
      'Training',
      async (signal, onProgress) =>
        onTrained(
          await api.call(
            'models.train',
            { pump, kind, from: from || undefined, to: to || undefined },
            { signal, onProgress },
          ),
        ),
      'Training cancelled: nothing was saved.',
    );
  return (
    <div className="form-row">
      <label>
        Model{' '}
        <select value={kind} onChange={(e) => setKind(e.target.value as Kind)} aria-label="Model kind">
          {Object.entries(KIND_LABEL).map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <IsoDateInput label="Train from" value={from} onChange={setFrom} /> to{' '}
      <IsoDateInput label="Train to" value={to} onChange={setTo} />
      <button type="button" className="primary" onClick={train} disabled={!!busy}>
        Train
      </button>
      <BusyBar busy={busy} />
      {error && <ErrorNote message={error} />}
    </div>
  );
}

function ModelDetail({ model }: { model: ModelSummary }) {
  const detail = useApi('models.detail', { pump: model.pump, kind: model.kind, version: model.version });
  const unit = model.kind === 'rul' ? 'days' : 'probability';
  const evaluation = detail.data?.evaluation;
  // The charts are drawn only once the evaluation is loaded.
  const scatter = useCallback(
    // biome-ignore lint/style/noNonNullAssertion: drawn only with an evaluation
    (w: number) => predictedVsActualChart(evaluation!, unit, CSS_PALETTE, w),
    [evaluation, unit],
  );
  // biome-ignore lint/style/noNonNullAssertion: drawn only with an evaluation
  const residuals = useCallback((w: number) => residualsChart(evaluation!, unit, CSS_PALETTE, w), [evaluation, unit]);
  // biome-ignore lint/style/noNonNullAssertion: drawn only with an evaluation
  const importance = useCallback((w: number) => importanceChart(evaluation!, CSS_PALETTE, w), [evaluation]);
  return (
    <Panel title={`${model.pump} ${model.kind} v${model.version} on its holdout`}>
      <div className="stats" data-testid="model-metrics">
        {Object.entries(model.metrics)
          .filter(([k]) => k !== 'n' && !k.startsWith('naive_') && k !== 'failures_learned')
          .map(([k, v]) => (
            <Stat
              key={k}
              label={k.toUpperCase()}
              value={fmt(v, k === 'mae' || k === 'rmse' ? 2 : 3)}
              testId={`metric-${k}`}
            />
          ))}
        <Stat
          label="Naive baseline"
          value={qualityText(model).split(', ')[1] ?? '—'}
          hint={beatsNaive(model) ? 'the model beats it on the holdout' : 'the model does not beat it: not promotable'}
          testId="metric-naive"
        />
        <Stat label="Failures learned" value={fmt(model.metrics.failures_learned, 0)} testId="metric-failures" />
        <Stat
          label="Trained / tested"
          value={`${model.trainRows} / ${model.testRows} h`}
          hint={`holdout ${model.holdout.from} .. ${model.holdout.to}`}
        />
      </div>
      {detail.error && <ErrorNote message={detail.error.message} />}
      {evaluation && (
        <div className="grid-2">
          <PlotFigure options={scatter} label="Predicted against actual on the holdout" />
          <PlotFigure options={importance} label="Feature importance" />
          <PlotFigure options={residuals} label="Residuals over the holdout" />
        </div>
      )}
    </Panel>
  );
}

function Registry({
  pump,
  selected,
  onSelect,
}: {
  pump: string;
  selected: ModelSummary | null;
  onSelect: (m: ModelSummary) => void;
}) {
  const models = useApi('models.list', { pump });
  const [outcome, setOutcome] = useState<{ text: string; ok: boolean } | null>(null);
  const act = async (work: () => Promise<Promotion | ModelSummary>) => {
    setOutcome(null);
    try {
      const result = await work();
      setOutcome(
        'reason' in result
          ? { text: result.reason, ok: result.promoted }
          : { text: `${result.kind} v${result.version} is the production model again`, ok: true },
      );
    } catch (e) {
      setOutcome({ text: (e as Error).message, ok: false });
    }
  };
  const production = (kind: string) =>
    models.data?.find((m) => m.kind === kind && m.stage === 'production')?.version ?? null;
  return (
    <Panel title="Model registry">
      {models.data?.length === 0 && <p className="muted">No model for {pump} yet: train one above.</p>}
      {outcome && (
        <p role="status" className={outcome.ok ? 'small' : 'warning'} data-testid="promotion">
          {outcome.text}
        </p>
      )}
      <TableWrap label="Models table">
        <table className="data" data-testid="registry">
          <thead>
            <tr>
              <th>Model</th>
              <th>Version</th>
              <th>Stage</th>
              <th>Trained</th>
              <th>Data</th>
              <th>Holdout metrics</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {models.data?.map((m) => (
              <tr
                key={`${m.kind}${m.version}`}
                className={`sev-row ${selected?.kind === m.kind && selected.version === m.version ? 'selected' : ''}`}
                data-testid={`model-${m.kind}-v${m.version}`}
              >
                <td>{m.kind}</td>
                <td>v{m.version}</td>
                <td data-testid="stage">{m.stage}</td>
                <td>{m.createdAt}</td>
                <td>
                  {m.dataFrom.slice(0, 10)} .. {m.dataTo.slice(0, 10)}
                </td>
                <td>{metricText(m)}</td>
                <td className="toolbar">
                  <button type="button" onClick={() => onSelect(m)}>
                    Details
                  </button>
                  {m.stage !== 'production' && m.version > (production(m.kind) ?? 0) && (
                    <button
                      type="button"
                      disabled={!beatsNaive(m)}
                      title={beatsNaive(m) ? undefined : 'It does not beat its naive baseline on its holdout'}
                      onClick={() => act(() => api.call('models.promote', { pump, kind: m.kind, version: m.version }))}
                    >
                      Promote
                    </button>
                  )}
                  {m.stage !== 'production' && !beatsNaive(m) && (
                    <span className="warning small" data-testid="not-promotable">
                      worse than naive
                    </span>
                  )}
                  {m.stage !== 'production' && m.version < (production(m.kind) ?? 0) && (
                    <button
                      type="button"
                      onClick={() => act(() => api.call('models.rollback', { pump, kind: m.kind, version: m.version }))}
                    >
                      Roll back to
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </Panel>
  );
}

function AnomalyPanel({ pump }: { pump: string }) {
  const timeline = useApi('models.anomalies', { pump });
  // biome-ignore lint/style/noNonNullAssertion: drawn only once the timeline is loaded
  const options = useCallback((w: number) => anomalyScoreChart(timeline.data!, CSS_PALETTE, w), [timeline.data]);
  return (
    <Panel title="Anomaly score">
      {timeline.error && <ErrorNote message={timeline.error.message} />}
      {timeline.data && (
        <>
          <p className="muted small">
            Detector: {timeline.data.source}; signals {timeline.data.signals.join(', ')}; {timeline.data.spans.length}{' '}
            anomalous span{timeline.data.spans.length === 1 ? '' : 's'} (shaded), threshold dashed.
          </p>
          <PlotFigure options={options} label="Anomaly score with detected spans" />
          {timeline.data.spans.length > 0 && (
            <table className="data" aria-label="Anomaly events">
              <thead>
                <tr>
                  <th>From</th>
                  <th>To</th>
                  <th>Peak score</th>
                  <th>Driven by</th>
                </tr>
              </thead>
              <tbody>
                {timeline.data.spans.slice(-20).map((e) => (
                  <tr key={e.from}>
                    <td>{e.from}</td>
                    <td>{e.to}</td>
                    <td>{fmt(e.peak.score, 1)}</td>
                    <td>{driversText(e.drivers)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </Panel>
  );
}

export function ModelsPage() {
  const baselines = useApi('performance.baselines', {});
  const [chosen, setChosen] = useState<string | null>(null);
  const [selected, setSelected] = useState<ModelSummary | null>(null);
  const pump = chosen ?? baselines.data?.[0]?.well_id ?? null;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Models</h1>
          <p className="muted">
            Remaining useful life and failure risk per pump from its maintenance log; a registry that promotes a model
            only when it beats production.
          </p>
        </div>
        <label>
          Pump{' '}
          <select
            aria-label="Pump"
            value={pump ?? ''}
            onChange={(e) => {
              setChosen(e.target.value);
              setSelected(null);
            }}
          >
            {baselines.data?.map((b) => (
              <option key={b.well_id} value={b.well_id}>
                {b.well_id}
              </option>
            ))}
          </select>
        </label>
      </div>
      {baselines.data?.length === 0 && (
        <p className="muted">
          Models need a pump with a baseline: take the proposed ones below, or import a baseline file on the Import
          page.
        </p>
      )}
      {baselines.data && <ProposedBaselines />}
      {pump && (
        <>
          <Panel title={`Train a model for ${pump}`}>
            <Trainer pump={pump} onTrained={setSelected} />
          </Panel>
          <Registry pump={pump} selected={selected} onSelect={setSelected} />
          {selected && selected.pump === pump && (
            <ModelDetail key={`${selected.kind}${selected.version}`} model={selected} />
          )}
          {/* Keyed by pump: another pump's chart is never shown while this one's loads or fails. */}
          <AnomalyPanel key={pump} pump={pump} />
          <MaintenanceLog pump={pump} />
        </>
      )}
    </div>
  );
}
