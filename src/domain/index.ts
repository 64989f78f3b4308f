/** The domain: pure TypeScript shared by the server and the browser. */
export * from './money';
export * from './wordcount';
export * from './uscc';
export * from './clock';
export * from './deadline';
export * from './errors';
export * from './calls/call';
export * from './form/limits';
export * from './form/application';
export * from './form/budget';
export * from './form/rules';
export * from './form/sections';
export * from './form/unfilled';
export * from './lifecycle';
export * from './numbering';
export * from './documents/print-model';
export * from './documents/content-hash';
