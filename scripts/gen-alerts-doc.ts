import { writeFileSync } from 'node:fs';
import { alertCatalogMarkdown } from '../src-shared/alerts/catalogDoc';

writeFileSync('docs/alerts.md', alertCatalogMarkdown());
console.log('wrote docs/alerts.md');
