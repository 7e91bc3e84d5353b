export * from './status';
export * from './lists';
export * from './promotion';
export * from './audit';
export * from './info';
export * from './verification';
export * from './strategy';
export * from './preflight';
