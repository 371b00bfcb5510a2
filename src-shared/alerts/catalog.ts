import type { AlertRuleInfo } from '../api/contract';
import type { StationModel } from '../station/model';
import { type AlertRule, applicability, ROLE_WORDS, valueUnitOn, worded } from './rule';
import { ENERGY_RULES } from './rules/energy';
import { FLOW_RULES } from './rules/flow';
import { LEVEL_RULES } from './rules/level';
import { POWER_RULES } from './rules/power';
import { QUALITY_RULES } from './rules/quality';
import { RUNTIME_RULES } from './rules/runtime';

// The alert rules of seed 002 §8.4-8.11 as data: one entry per rule (./rules/, one file per group),
// evaluated by one engine on the console and on the edge. `condition` is the seed's text; `test` is
// what PumpDeck checks; where they differ, `decision` says why (see also docs/decisions.md). Each
// rule names the station roles it reads, so it applies to any station that has them.

export type { ActiveLookup, AlertRule, Role, RuleGroup, Severity } from './rule';
export { applicability, GROUP_NAMES, worded } from './rule';

export const RULES: AlertRule[] = [
  ...POWER_RULES,
  ...FLOW_RULES,
  ...LEVEL_RULES,
  ...RUNTIME_RULES,
  ...QUALITY_RULES,
  ...ENERGY_RULES,
];

/** The rules in an order where every rule comes after those it depends on. */
export function evaluationOrder(rules: AlertRule[] = RULES): AlertRule[] {
  const byCode = new Map(rules.map((r) => [r.code, r]));
  const ordered: AlertRule[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (rule: AlertRule) => {
    if (state.get(rule.code) === 'done') return;
    if (state.get(rule.code) === 'visiting')
      throw new Error(`alert rules depend on each other in a cycle at ${rule.code}`);
    state.set(rule.code, 'visiting');
    for (const code of rule.dependsOn ?? []) {
      const dependency = byCode.get(code);
      if (dependency) visit(dependency);
    }
    state.set(rule.code, 'done');
    ordered.push(rule);
  };
  rules.forEach(visit);
  return ordered;
}

/** The catalog as this station reads it: each rule worded for its kind, with what it reads and whether it applies. */
export function catalogFor(model: StationModel, rules: AlertRule[] = RULES): AlertRuleInfo[] {
  return rules.map((rule) => {
    const fit = applicability(rule, model);
    return {
      code: rule.code,
      group: rule.group,
      severity: rule.severity,
      scope: rule.scope,
      onDelayMin: rule.onDelayMin,
      offDelayMin: rule.offDelayMin,
      ...worded(rule, model.kind),
      decision: rule.decision,
      reads: rule.needs.map((role) => ROLE_WORDS[role]),
      roles: rule.needs,
      valueUnit: valueUnitOn(rule.valueUnit, model),
      constants: rule.constants,
      applicable: fit.applicable,
      reason: fit.reason,
      pumps: rule.scope === 'pump' ? fit.pumps.map((k) => model.pumps[k].id) : [],
    };
  });
}
