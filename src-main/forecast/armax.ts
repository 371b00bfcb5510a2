import ARIMA from 'arima';
import type { ArmaxFitter } from '../../src-shared/forecast/forecasters';

// SARIMAX for the forecast (issue 20) from `arima` (an Emscripten build of ctsa): y on one
// regressor with ARMA errors (the order src-shared's forecaster gives), no seasonal terms (the
// regressor, the weekday profile, carries the day and the week). Measured against SARIMA(2,0,1)(0,1,1)24 on the demos: as accurate and
// eight times faster (35-60 ms against 280-400 ms a fit on four weeks of hours).

export const armaxFit: ArmaxFitter = (y, x, xFuture, order) => {
  const model = new ARIMA({ ...order, P: 0, D: 0, Q: 0, s: 0, verbose: false });
  try {
    model.train(y, [x]);
    const [predicted] = model.predict(xFuture.length, [xFuture]);
    return Array.from(predicted, Number);
  } catch {
    return null;
  } finally {
    model.destroy();
  }
};
