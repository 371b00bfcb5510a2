import { GROUP_NAMES, RULES, type RuleGroup } from './catalog';
import { ROLE_WORDS } from './rule';

const cell = (text: string) => text.replaceAll('|', '\\|');

/** docs/alerts.md, generated from the catalog (`npm run docs:alerts`); a test keeps it current. */
export function alertCatalogMarkdown(): string {
  const lines = [
    '# Alert rules',
    '',
    'Generated from `src-shared/alerts/catalog.ts` by `npm run docs:alerts`; do not edit by hand.',
    '',
    `${RULES.length} rules in ${Object.keys(GROUP_NAMES).length} groups (seed 002 §8.4-8.11). "Raise after" is how long the condition must hold past its first row; "clear after" how long its clear condition must hold (hysteresis). One alert per episode.`,
    '',
    'Each rule reads roles of the station model, not tag names: a station without a role a rule reads (no level signal, no power meters, no day total) does not evaluate it, and the catalog in the console says why. A pump rule runs for the pumps that have its roles. On a lift station (pumps empty a wet well) the level rules read the other way; their lift wording is listed under each group.',
    '',
  ];
  for (const [group, name] of Object.entries(GROUP_NAMES) as Array<[RuleGroup, string]>) {
    lines.push(
      `## ${group} — ${name}`,
      '',
      '| code | name | severity | scope | reads | seed condition | raise after | clear | clear after | constants | depends on | operator hint |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|',
    );
    const rules = RULES.filter((x) => x.group === group);
    for (const r of rules) {
      const reads = r.needs.map((role) => ROLE_WORDS[role]).join(', ') || 'time stamps';
      const kinds = r.kinds ? ` (${r.kinds.join(', ')} only)` : '';
      lines.push(
        `| ${r.code} | ${cell(r.name)} | ${r.severity} | ${r.scope}${r.event ? ' (event)' : ''} | ${cell(reads)}${kinds} | ${cell(r.condition)} | ${r.onDelayMin} min | ${cell(r.clear)} | ${r.offDelayMin} min | ${r.constants.join(', ') || '—'} | ${r.dependsOn?.join(', ') ?? '—'} | ${cell(r.hint)} |`,
      );
    }
    const lift = rules.filter((x) => x.lift);
    if (lift.length)
      lines.push(
        '',
        'On a lift station:',
        '',
        ...lift.map(
          (r) =>
            `- **${r.code}** ${[r.lift?.name, r.lift?.condition && `when ${r.lift.condition}`].filter(Boolean).join(': ')}`,
        ),
      );
    const decisions = rules.filter((x) => x.decision);
    if (decisions.length) lines.push('', ...decisions.map((r) => `- **${r.code}**: ${r.decision}`));
    lines.push('');
  }
  return lines.join('\n');
}
