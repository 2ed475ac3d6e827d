// Registers @sa11y/jest's toBeAccessible() matcher for every LWC test (axe-core, WCAG 2.1 AA).
// axe does not work under fake timers: keep accessibility assertions out of fake-timer tests.
import { registerSa11yMatcher } from '@sa11y/jest';

registerSa11yMatcher();
