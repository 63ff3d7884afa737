import { defineTrialSuite } from './trial-suite';

defineTrialSuite('rollback');
