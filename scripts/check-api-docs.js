#!/usr/bin/env node
// Reads the jsii assembly (.jsii, written by `npm run build`) and fails when a public optional property
// or parameter has no `@default`, or a public type or member has no summary.
const fs = require('fs');
const path = require('path');

const assembly = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '.jsii'), 'utf8'));
const problems = [];
for (const [fqn, type] of Object.entries(assembly.types ?? {})) {
  if (!type.docs?.summary) problems.push(`${fqn}: no doc summary`);
  for (const prop of type.properties ?? []) {
    if (!prop.docs?.summary) problems.push(`${fqn}.${prop.name}: no doc summary`);
    if (prop.optional && type.kind === 'interface' && prop.docs?.default === undefined) {
      problems.push(`${fqn}.${prop.name}: optional without @default`);
    }
  }
  for (const method of [...(type.methods ?? []), ...(type.initializer ? [type.initializer] : [])]) {
    if (method.name && !method.docs?.summary) problems.push(`${fqn}.${method.name}(): no doc summary`);
  }
}
if (problems.length) {
  console.error('Public API documentation gaps:\n  ' + problems.join('\n  '));
  process.exit(1);
}
console.log(`API docs: ${Object.keys(assembly.types).length} public types, every optional property has @default`);
