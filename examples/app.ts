#!/usr/bin/env node
// The example app that `npx cdk synth` runs (see cdk.json). The stacks are defined in example-stacks.ts,
// so that tests can build the same app.
import { App } from 'aws-cdk-lib';
import { addExampleStacks } from './example-stacks';

const app = new App();
addExampleStacks(app);
app.synth();
