import { defineTrialSuite } from './trial-suite';

defineTrialSuite('wal');
