export * from './status';
export * from './lists';
export * from './promotion';
export * from './audit';
export * from './info';
