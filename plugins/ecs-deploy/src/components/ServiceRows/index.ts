export * from './ServiceRows';
