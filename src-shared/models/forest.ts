import { seededRandom } from '../random';

// A random forest of CART trees with histogram splits (features binned into at most 64 quantile
// bins, as LightGBM and scikit-learn's HistGradientBoosting do), so growing a tree costs
// O(rows × features tried × depth) instead of ml-cart's O(rows²). Regression trees minimise
// squared error; a classifier is the same tree on 0/1 targets (squared error on 0/1 is the Gini
// criterion), whose leaves hold the share of 1s: the class-1 probability. Trees are grown in
// order with progress and can be stopped between trees; the model is plain JSON.

export type ForestKind = 'regression' | 'classification';

export interface ForestParams {
  trees: number;
  /** Share of the features tried at each split. */
  maxFeatures: number;
  maxDepth: number;
  /** Fewest rows in a leaf. */
  minLeaf: number;
  seed: number;
}

export const DEFAULT_FOREST: ForestParams = { trees: 100, maxFeatures: 0.33, maxDepth: 10, minLeaf: 8, seed: 42 };
const MAX_BINS = 64;
/** Thresholds and leaf values keep 6 significant digits: the JSON stays small, training and prediction see the same numbers. */
const round = (v: number) => Number(v.toPrecision(6));

/** One tree as flat arrays; a leaf has feature −1. Go left when x[feature] <= threshold. */
export interface TreeJson {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

export interface ForestJson {
  kind: ForestKind;
  params: ForestParams;
  features: number;
  trees: TreeJson[];
  importance: number[];
}

/** Upper edges of up to MAX_BINS quantile bins per feature (the last bin is open). */
function binEdges(X: number[][], feature: number): number[] {
  const values = X.map((r) => r[feature]).sort((a, b) => a - b);
  const edges: number[] = [];
  for (let b = 1; b < MAX_BINS; b += 1) {
    const v = round(values[Math.floor((b * values.length) / MAX_BINS)]);
    if (edges.length === 0 || v > edges[edges.length - 1]) edges.push(v);
  }
  // Each edge must leave some value above it, else it splits nothing.
  return edges.filter((e) => e < values[values.length - 1]);
}

function binOf(edges: number[], v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

class TreeBuilder {
  readonly tree: TreeJson = { feature: [], threshold: [], left: [], right: [], value: [] };

  constructor(
    private readonly bins: Uint8Array[],
    private readonly edges: number[][],
    private readonly y: number[],
    private readonly params: ForestParams,
    private readonly random: () => number,
    private readonly importance: number[],
  ) {}

  build(rows: number[]): void {
    this.grow(rows, 0);
  }

  private leaf(value: number): number {
    const t = this.tree;
    t.feature.push(-1);
    t.threshold.push(0);
    t.left.push(-1);
    t.right.push(-1);
    t.value.push(round(value));
    return t.value.length - 1;
  }

  private grow(rows: number[], depth: number): number {
    let sum = 0;
    let sumSq = 0;
    for (const i of rows) {
      sum += this.y[i];
      sumSq += this.y[i] * this.y[i];
    }
    const n = rows.length;
    const mean = sum / n;
    const sse = sumSq - sum * mean;
    if (depth >= this.params.maxDepth || n < 2 * this.params.minLeaf || sse <= 1e-12) return this.leaf(mean);

    const features = this.edges.length;
    const tries = Math.max(1, Math.round(features * this.params.maxFeatures));
    let best = { gain: 1e-12, feature: -1, bin: -1 };
    const count = new Float64Array(MAX_BINS);
    const total = new Float64Array(MAX_BINS);
    for (let k = 0; k < tries; k += 1) {
      const f = Math.floor(this.random() * features);
      const edges = this.edges[f];
      if (edges.length === 0) continue;
      count.fill(0);
      total.fill(0);
      const column = this.bins[f];
      for (const i of rows) {
        count[column[i]] += 1;
        total[column[i]] += this.y[i];
      }
      let leftN = 0;
      let leftSum = 0;
      for (let b = 0; b < edges.length; b += 1) {
        leftN += count[b];
        leftSum += total[b];
        const rightN = n - leftN;
        if (leftN < this.params.minLeaf) continue;
        if (rightN < this.params.minLeaf) break;
        // SSE reduction = Σ² left/nL + Σ² right/nR − Σ²/n.
        const gain = (leftSum * leftSum) / leftN + ((sum - leftSum) * (sum - leftSum)) / rightN - sum * mean;
        if (gain > best.gain) best = { gain, feature: f, bin: b };
      }
    }
    if (best.feature < 0) return this.leaf(mean);

    this.importance[best.feature] += best.gain;
    const column = this.bins[best.feature];
    const leftRows = rows.filter((i) => column[i] <= best.bin);
    const rightRows = rows.filter((i) => column[i] > best.bin);
    const node = this.leaf(mean);
    const t = this.tree;
    t.feature[node] = best.feature;
    t.threshold[node] = this.edges[best.feature][best.bin];
    t.left[node] = this.grow(leftRows, depth + 1);
    t.right[node] = this.grow(rightRows, depth + 1);
    return node;
  }
}

function predictTree(tree: TreeJson, x: number[]): number {
  let node = 0;
  while (tree.feature[node] >= 0)
    node = x[tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
  return tree.value[node];
}

export class Forest {
  private constructor(private readonly json: ForestJson) {}

  get kind(): ForestKind {
    return this.json.kind;
  }

  /**
   * Grows the forest on rows X and targets y (0/1 for classification); `onProgress(trees)` after
   * each tree; `shouldStop()` is asked between trees and ends training with an error.
   */
  static train(
    kind: ForestKind,
    X: number[][],
    y: number[],
    params: ForestParams = DEFAULT_FOREST,
    onProgress?: (trees: number) => void,
    shouldStop?: () => boolean,
  ): Forest {
    if (X.length === 0) throw new Error('no training rows');
    const features = X[0].length;
    const edges = Array.from({ length: features }, (_, f) => binEdges(X, f));
    const bins = edges.map((e, f) => Uint8Array.from(X, (row) => binOf(e, row[f])));
    const random = seededRandom(params.seed);
    const importance = new Array<number>(features).fill(0);
    const trees: TreeJson[] = [];
    for (let t = 0; t < params.trees; t += 1) {
      if (shouldStop?.()) throw new Error('training stopped');
      const sample = Array.from({ length: X.length }, () => Math.floor(random() * X.length)); // bootstrap
      const builder = new TreeBuilder(bins, edges, y, params, random, importance);
      builder.build(sample);
      trees.push(builder.tree);
      onProgress?.(t + 1);
    }
    const sum = importance.reduce((a, b) => a + b, 0) || 1;
    return new Forest({ kind, params, features, trees, importance: importance.map((v) => v / sum) });
  }

  static load(json: ForestJson): Forest {
    return new Forest(json);
  }

  /** Regression: the predicted value; classification: the probability of class 1. */
  predict(X: number[][]): number[] {
    return X.map((x) => this.json.trees.reduce((s, tree) => s + predictTree(tree, x), 0) / this.json.trees.length);
  }

  /** Mean decrease in squared error per feature, normalised to sum 1. */
  importance(): number[] {
    return this.json.importance;
  }

  toJSON(): ForestJson {
    return this.json;
  }
}
