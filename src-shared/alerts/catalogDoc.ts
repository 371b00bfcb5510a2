import { GROUP_NAMES, RULES, type RuleGroup } from './catalog';

const cell = (text: string) => text.replaceAll('|', '\\|');

/** docs/alerts.md, generated from the catalog (`npm run docs:alerts`); a test keeps it current. */
export function alertCatalogMarkdown(): string {
  const lines = [
    '# Alert rules',
    '',
    'Generated from `src-shared/alerts/catalog.ts` by `npm run docs:alerts`; do not edit by hand.',
    '',
    `${RULES.length} rules in ${Object.keys(GROUP_NAMES).length} groups (seed 002 §8.4-8.11). "Raise after" is how long the condition must hold past its first minute; "clear after" how long its clear condition must hold (hysteresis). One alert per episode.`,
    '',
  ];
  for (const [group, name] of Object.entries(GROUP_NAMES) as Array<[RuleGroup, string]>) {
    lines.push(
      `## ${group} — ${name}`,
      '',
      '| code | name | severity | scope | seed condition | raise after | clear | clear after | constants | depends on | operator hint |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const r of RULES.filter((x) => x.group === group)) {
      lines.push(
        `| ${r.code} | ${cell(r.name)} | ${r.severity} | ${r.scope}${r.event ? ' (event)' : ''} | ${cell(r.condition)} | ${r.onDelayMin} min | ${cell(r.clear)} | ${r.offDelayMin} min | ${r.constants.join(', ') || '—'} | ${r.dependsOn?.join(', ') ?? '—'} | ${cell(r.hint)} |`,
      );
    }
    const decisions = RULES.filter((x) => x.group === group && x.decision);
    if (decisions.length) lines.push('', ...decisions.map((r) => `- **${r.code}**: ${r.decision}`));
    lines.push('');
  }
  return lines.join('\n');
}
