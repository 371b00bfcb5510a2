// Lists functions longer than a limit (default 80 lines) in src-main, src-shared and src-edge, with
// whether a comment right above says why it is long. `node scripts/long-functions.mjs [limit]`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const limit = Number(process.argv[2] ?? 80);
const files = (dir) =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) ? [p] : [];
  });
const found = [];
for (const file of ['src-main', 'src-shared', 'src-edge'].flatMap(files)) {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = source.getLineAndCharacterOfPosition(node.end).line;
      const lines = end - start + 1;
      if (lines > limit) {
        const above = text
          .slice(0, node.getFullStart() + (node.getStart() - node.getFullStart()))
          .split('\n')
          .slice(-4)
          .join('\n');
        const name = node.name?.getText() ?? node.parent?.name?.getText?.() ?? '(anonymous)';
        found.push({ file, line: start + 1, name, lines, explained: /long because|is long:|long:/i.test(above) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
found.sort((a, b) => b.lines - a.lines);
for (const f of found)
  console.log(`${String(f.lines).padStart(4)}  ${f.file}:${f.line}  ${f.name}${f.explained ? '  (explained)' : ''}`);
console.log(`${found.length} functions over ${limit} lines`);
