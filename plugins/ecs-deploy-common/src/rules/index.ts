export * from './names';
export * from './fargate';
export * from './images';
